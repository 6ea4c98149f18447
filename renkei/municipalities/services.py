"""Loading the shipped reference data of every local government of Japan."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from renkei.core import bulk
from renkei.municipalities.codes import lg_code_error, with_check_digit
from renkei.municipalities.models import LocalGovernment

DATA_FILE = Path(__file__).resolve().parent / "data" / "local_governments.json"
FIELDS = ("name", "kana", "kind", "lat", "lng")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_reference_data(path: Path = DATA_FILE) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["prefectures"] + data["municipalities"]
    for row in rows:
        error = lg_code_error(row["code"])
        if error:
            raise ValueError(error)
    return rows


@transaction.atomic
def load_local_governments(path: Path = DATA_FILE) -> LoadResult:
    """Create or update every prefecture and municipality; running it again changes nothing."""
    rows = read_reference_data(path)
    existing = {lg.code: lg for lg in LocalGovernment.objects.all()}
    result = LoadResult()
    to_create, to_update = [], []
    for row in rows:
        values = {field: row[field] for field in FIELDS}
        prefecture_id = with_check_digit(f"{row['prefecture_code']}000")
        current = existing.get(row["code"])
        if current is None:
            to_create.append(LocalGovernment(code=row["code"], prefecture_id=prefecture_id, **values))
        elif any(getattr(current, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            to_update.append(current)
        else:
            result.unchanged += 1
    # Prefectures first: every municipality's foreign key points at one.
    to_create.sort(key=lambda lg: lg.kind != "prefecture")
    LocalGovernment.objects.bulk_create(to_create, batch_size=500)
    LocalGovernment.objects.bulk_update(to_update, FIELDS, batch_size=500)
    if to_create or to_update:
        bulk.wrote(LocalGovernment, [lg.code for lg in to_create + to_update])
    result.created, result.updated = len(to_create), len(to_update)
    return result



def load_reference_data() -> str:
    result = load_local_governments()
    return f"地方公共団体: 新規 {result.created}件, 更新 {result.updated}件, 変更なし {result.unchanged}件"
