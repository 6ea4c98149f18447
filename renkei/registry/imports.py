"""Importing the secretariat's Excel or CSV files: relations (交流), associations' members, and
whatever other apps register (the disasters' dispatches and funds).

Reading refuses what is not a spreadsheet, oversized files and zip bombs; checking reports
every problem by row and column in Japanese; nothing is written until the whole file is valid
and confirmed, and then in one transaction.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from renkei.core import bulk
from renkei.core.audit import log_action
from renkei.core.dates import parse_date
from renkei.core.text import ParseError, normalise
from renkei.municipalities.codes import check_digit, lg_code_error
from renkei.municipalities.models import Kind, LocalGovernment, katakana_to_hiragana
from renkei.registry.models import CooperationField, Relation, RelationKind

MAX_BYTES = 10 * 1024 * 1024  # the largest file accepted
MAX_UNZIPPED = 100 * 1024 * 1024  # an XLSX may not expand beyond this
MAX_RATIO = 100  # nor compress better than this (a zip bomb does)
MAX_ROWS = 20_000
MAX_COLUMNS = 50  # the import's columns are fewer than a dozen; a sheet wider than this is not one

COLUMNS = {  # header (as typed in Excel) → field
    "特別区": "ward", "区": "ward", "区名": "ward",
    "自治体": "municipality", "団体": "municipality", "団体名": "municipality", "団体コード": "municipality",
    "相手自治体": "municipality", "交流自治体": "municipality",
    "種別": "kind", "交流の種別": "kind",
    "分野": "fields",
    "開始日": "started_on", "締結日": "started_on",
    "終了日": "ended_on",
    "備考": "note",
}
REQUIRED = ("ward", "municipality", "kind", "started_on")
LABELS = {"ward": "特別区", "municipality": "自治体", "kind": "種別", "fields": "分野", "started_on": "開始日",
          "ended_on": "終了日", "note": "備考"}


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)  # valid rows, ready to write
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(name: str, data: bytes) -> list[list]:
    """The cells of the first sheet (XLSX) or of the CSV (UTF-8 or CP932)."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"ファイルが大きすぎます（{len(data) // 1024 // 1024}MB）。10MBまでにしてください。")
    if not data:
        raise ImportRefused("ファイルが空です。")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ImportRefused("Excelファイルとして読めません。.xlsx 形式で保存し直してください（.xls は未対応です）。")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportRefused("Excelファイルとして読めません。ファイルが壊れていないか確かめてください。") from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused("Excelのファイル（.xlsx）ではありません。")
    unzipped = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise ImportRefused("ファイルの中身が大きすぎるため読み込みません（圧縮爆弾の疑い）。")
    _limit_size(*_stated_size(archive))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        # The sheet's own account of its size comes first, before a cell is read: a dense sheet
        # is refused at once instead of being parsed for half a minute.
        _limit_size(sheet.max_row, sheet.max_column)
        rows = []
        for row in sheet.iter_rows():  # streamed; a sheet that misstates its size stops at its first wide row
            values = [_xlsx_value(cell) for cell in row]
            while values and values[-1] is None:
                values.pop()  # formatted but empty cells at the end of a row
            _limit_size(len(rows) + 1, len(values))
            rows.append(values)
        workbook.close()
    except ImportRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        raise ImportRefused("Excelファイルとして読めません。ファイルが壊れていないか確かめてください。") from None
    return rows


SHEET_HEAD = 256 * 1024  # enough of a sheet's XML to hold its stated size, or its first rows


def _stated_size(archive: zipfile.ZipFile) -> tuple[int | None, int | None]:
    """The first sheet's rows and columns as its head says — its <dimension>, else the widest of
    the rows that begin it — read from the first bytes only. (A sheet without <dimension> would
    have openpyxl read it whole just to size it, before a single row is returned.)"""
    from openpyxl.utils.cell import range_boundaries

    def text(name: str) -> str:
        with archive.open(name) as handle:
            return handle.read(SHEET_HEAD).decode("utf-8", "replace")

    try:
        first = re.search(r"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"", text("xl/workbook.xml"))
        relations = text("xl/_rels/workbook.xml.rels")
        target = re.search(rf'<Relationship\b[^>]*\bId="{re.escape(first.group(1))}"[^>]*\bTarget="([^"]+)"', relations)
        if target is None:
            target = re.search(rf'<Relationship\b[^>]*\bTarget="([^"]+)"[^>]*\bId="{re.escape(first.group(1))}"', relations)
        path = target.group(1).lstrip("/")
        path = path if path.startswith("xl/") else f"xl/{path}"
        head, size = text(path), archive.getinfo(path).file_size
    except (AttributeError, KeyError):
        return None, None  # openpyxl will say what is wrong with it
    dimension = re.search(r'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', head)
    if dimension:
        min_col, min_row, max_col, max_row = range_boundaries(dimension.group(1))
        return max_row, max_col
    rows = re.findall(r"<(?:\w+:)?row\b.*?(?:</(?:\w+:)?row>|$)", head, flags=re.S)
    widest = max((len(re.findall(r"<(?:\w+:)?c[\s>/]", row)) for row in rows), default=0)
    # Rows are about as long further down: half again the limit's worth of bytes is too many rows.
    average = sum(len(row) for row in rows) / len(rows) if rows else 0
    estimated = int(size / average) if average else None
    return (estimated if estimated and estimated > MAX_ROWS * 3 // 2 else None), widest


def _limit_size(rows: int | None, columns: int | None) -> None:
    if rows and rows > MAX_ROWS + 1:
        raise ImportRefused(f"行が多すぎます。{MAX_ROWS:,}行までにしてください。")
    if columns and columns > MAX_COLUMNS:
        raise ImportRefused(f"列が多すぎます（{columns:,}列）。取り込む表は{MAX_COLUMNS}列までにしてください。"
                            "別の表や計算のための列は、取り込む前に消してください。")


class Formula(str):
    """A cell holding a formula: refused, since its value is not in the file."""


def _xlsx_value(cell):
    if getattr(cell, "data_type", None) == "f":
        return Formula(cell.value)
    return cell.value


def _read_csv(data: bytes) -> list[list]:
    if b"\x00" in data[:4096]:
        raise ImportRefused("CSVファイルではありません（テキストとして読めません）。")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused("文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存してください。")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused(f"行が多すぎます。{MAX_ROWS:,}行までにしてください。")
    return rows


class Lookup:
    """Everything a check needs, fetched once: the file's rows are then checked in memory."""

    def __init__(self):
        lgs = list(LocalGovernment.objects.select_related("prefecture"))
        self.by_code = {lg.code: lg for lg in lgs}
        self.by_name, self.by_kana = {}, {}
        for lg in lgs:
            self.by_name.setdefault(lg.name, []).append(lg)
            if not lg.is_prefecture:
                self.by_name.setdefault(lg.full_name, []).append(lg)
            self.by_kana.setdefault(lg.kana, []).append(lg)
        self.kinds = {k.name: k for k in RelationKind.objects.all()}
        self.fields = {f.name: f for f in CooperationField.objects.all()}
        self.existing = set(Relation.objects.values_list("ward_id", "municipality_id", "kind_id", "started_on"))

    def local_government(self, value, *, ward: bool, ward_allowed: bool = False) -> LocalGovernment:
        text = normalise(value)
        if not text:
            raise ParseError("空欄です。")
        if text.isdigit():
            code = text + check_digit(text) if len(text) == 5 else text
            if lg_code_error(code):
                raise ParseError(lg_code_error(code))
            if code not in self.by_code:
                raise ParseError(f"団体コード「{code}」の地方公共団体はありません。")
            found = [self.by_code[code]]
        else:
            found = self.by_name.get(text) or self.by_kana.get(katakana_to_hiragana(text)) or []
        if ward:
            found = [lg for lg in found if lg.kind == Kind.SPECIAL_WARD] if len(found) > 1 else found
        if not found:
            raise ParseError(f"「{text[:30]}」という{'特別区' if ward else '地方公共団体'}は見つかりません。")
        if len(found) > 1:
            names = "、".join(lg.full_name for lg in found[:5])
            raise ParseError(f"「{text[:30]}」は複数あります（{names}）。都道府県名から書くか団体コードで指定してください。")
        lg = found[0]
        if ward and lg.kind != Kind.SPECIAL_WARD:
            raise ParseError(f"{lg.full_name}は特別区ではありません。")
        if not ward and not ward_allowed and lg.kind == Kind.SPECIAL_WARD:
            raise ParseError("交流の相手に特別区は指定できません。")
        return lg


def columns_of(table, mapping, required, labels, expected: str) -> dict[int, str]:
    """Which column holds which field, from the header row; refuses a file missing one."""
    if not table:
        raise ImportRefused("ファイルに行がありません。")
    columns = {}
    for index, cell in enumerate(table[0]):
        name = normalise(cell)
        if name in mapping and mapping[name] not in columns.values():
            columns[index] = mapping[name]
    missing = [labels[f] for f in required if f not in columns.values()]
    if missing:
        raise ImportRefused(f"1行目に列名がありません: {'、'.join(missing)}。1行目は「{expected}」としてください。")
    return columns


def check(table: list[list]) -> Checked:
    """Check every row; valid rows are kept as plain values ready to write."""
    columns = columns_of(table, COLUMNS, REQUIRED, LABELS, "特別区, 自治体, 種別, 分野, 開始日, 終了日, 備考")
    lookup = Lookup()
    result = Checked()
    seen = {}
    for number, raw in enumerate(table[1:], start=2):
        cells = {fname: (raw[i] if i < len(raw) else None) for i, fname in columns.items()}
        if all(c is None or normalise(c) == "" for c in cells.values()):
            continue
        result.total += 1
        errors = []
        values = {}

        def fail(fname, message, errors=errors, number=number):
            errors.append(RowError(number, LABELS[fname], message))

        for fname, cell in cells.items():
            if isinstance(cell, Formula):
                fail(fname, "数式は取り込めません。値に変換（形式を選択して貼り付け）してから保存してください。")
                values[fname] = None
        if errors:
            result.errors += errors
            continue
        for fname, is_ward in (("ward", True), ("municipality", False)):
            try:
                values[fname] = lookup.local_government(cells[fname], ward=is_ward)
            except ParseError as error:
                fail(fname, str(error))
        kind_name = normalise(cells.get("kind"))
        if kind_name in lookup.kinds:
            values["kind"] = lookup.kinds[kind_name]
        else:
            fail("kind", f"種別「{kind_name[:30]}」はありません（{'、'.join(lookup.kinds)}のいずれか）。"
                 if kind_name else "種別が空欄です。")
        field_names = [normalise(f) for f in _split(cells.get("fields"))]
        unknown = [f for f in field_names if f not in lookup.fields]
        if unknown:
            fail("fields", f"分野「{'、'.join(unknown)[:40]}」はありません（{'、'.join(lookup.fields)}）。")
        values["fields"] = [lookup.fields[f].pk for f in field_names if f in lookup.fields]
        start, end = _period(cells, fail, ("started_on", "開始日"), ("ended_on", "終了日"))
        values["note"] = normalise(cells.get("note"))[:500]
        if not errors:
            key = (values["ward"].pk, values["municipality"].pk, values["kind"].pk, start)
            if key in lookup.existing:
                fail("municipality", "同じ特別区・自治体・種別・開始日の交流がすでに登録されています（重複）。")
            elif key in seen:
                fail("municipality", f"{seen[key]}行目と重複しています。")
            else:
                seen[key] = number
        if errors:
            result.errors += errors
        else:
            result.rows.append({"row": number, "ward": values["ward"].pk, "municipality": values["municipality"].pk,
                                "kind": values["kind"].pk, "fields": values["fields"],
                                "started_on": start.isoformat(), "ended_on": end.isoformat() if end else None,
                                "note": values["note"]})
    if result.total == 0:
        raise ImportRefused("取り込む行がありません（1行目は列名、2行目からデータ）。")
    return result


def _period(cells, fail, start: tuple[str, str], end: tuple[str, str]):
    """A required start date and an optional end date after it, from a row's cells."""
    dates, unreadable = {}, set()
    for fname, _ in (start, end):
        try:
            dates[fname] = parse_date(cells.get(fname))
        except ParseError as error:
            fail(fname, str(error))
            dates[fname] = None
            unreadable.add(fname)
    if dates[start[0]] is None and start[0] not in unreadable:
        fail(start[0], f"{start[1]}が空欄です。")
    first, last = dates[start[0]], dates[end[0]]
    if first and last and last <= first:
        fail(end[0], f"{end[1]}が{start[1]}より前（または同じ日）です。")
    return first, last


def _split(value) -> list[str]:
    text = normalise(value)
    for separator in ("、", ",", "/", ";"):  # not ・, which field names contain
        text = text.replace(separator, "|")
    return [part.strip() for part in text.split("|") if part.strip()]


@transaction.atomic
def apply(rows: list[dict], *, actor, filename: str) -> int:
    """Write checked rows in one transaction; refuses all if any became a duplicate meanwhile."""
    import datetime as dt

    existing = set(Relation.objects.select_for_update().values_list("ward_id", "municipality_id", "kind_id",
                                                                     "started_on"))
    relations = []
    for row in rows:
        start = dt.date.fromisoformat(row["started_on"])
        if (row["ward"], row["municipality"], row["kind"], start) in existing:
            raise ImportRefused(f"{row['row']}行目の交流は、確認の後に別の操作で登録されました。もう一度確認してください。")
        relations.append(Relation(ward_id=row["ward"], municipality_id=row["municipality"], kind_id=row["kind"],
                                  started_on=start, note=row["note"],
                                  ended_on=dt.date.fromisoformat(row["ended_on"]) if row["ended_on"] else None))
    created = Relation.objects.bulk_create(relations, batch_size=1000)
    if not all(r.pk for r in created):  # backends that do not return keys from bulk inserts
        created = list(Relation.objects.order_by("-pk")[:len(relations)])[::-1]
    through = Relation.fields.through
    through.objects.bulk_create([through(relation_id=r.pk, cooperationfield_id=f)
                                 for r, row in zip(created, rows, strict=True) for f in row["fields"]],
                                batch_size=2000)
    log_action(actor=actor, action="registry.relations.imported", obj=None,
               changes={"file": [None, filename], "rows": [None, len(created)],
                        "ids": [None, [created[0].pk, created[-1].pk] if created else []]})
    bulk.wrote(Relation, [r.pk for r in created])
    return len(created)


# --- Association members (団体の構成自治体), for associations whose members are listed ---

MEMBER_COLUMNS = {"団体": "association", "団体名": "association", "協定団体名": "association",
                  "自治体": "municipality", "構成自治体": "municipality", "団体コード": "municipality",
                  "加入日": "joined_on", "開始日": "joined_on", "脱退日": "left_on", "終了日": "left_on"}
MEMBER_REQUIRED = ("association", "municipality", "joined_on")
MEMBER_LABELS = {"association": "団体", "municipality": "自治体", "joined_on": "加入日", "left_on": "脱退日"}


def check_members(table: list[list]) -> Checked:
    from renkei.registry.models import Association, AssociationMember

    columns = columns_of(table, MEMBER_COLUMNS, MEMBER_REQUIRED, MEMBER_LABELS, "団体, 自治体, 加入日, 脱退日")
    lookup = Lookup()
    associations = {a.name: a for a in Association.objects.all()}
    existing = set(AssociationMember.objects.values_list("association_id", "local_government_id", "joined_on"))
    result, seen = Checked(), {}
    for number, raw in enumerate(table[1:], start=2):
        cells = {fname: (raw[i] if i < len(raw) else None) for i, fname in columns.items()}
        if all(c is None or normalise(c) == "" for c in cells.values()):
            continue
        result.total += 1
        errors, values = [], {}

        def fail(fname, message, errors=errors, number=number):
            errors.append(RowError(number, MEMBER_LABELS[fname], message))

        for fname, cell in cells.items():
            if isinstance(cell, Formula):
                fail(fname, "数式は取り込めません。値に変換してから保存してください。")
        if errors:
            result.errors += errors
            continue
        name = normalise(cells["association"])
        association = associations.get(name)
        if association is None:
            fail("association", f"団体「{name[:30]}」は登録されていません。先に管理画面で団体を登録してください。")
        elif association.membership_rule != Association.MembershipRule.EDITED:
            fail("association", f"{association.name}の構成自治体は参照データから決まるため、取り込めません。")
        try:
            values["municipality"] = lookup.local_government(cells["municipality"], ward=False)
        except ParseError as error:
            fail("municipality", str(error))
        joined, left = _period(cells, fail, ("joined_on", "加入日"), ("left_on", "脱退日"))
        if not errors:
            key = (association.pk, values["municipality"].pk, joined)
            if key in existing:
                fail("municipality", "同じ団体・自治体・加入日の記録がすでにあります（重複）。")
            elif key in seen:
                fail("municipality", f"{seen[key]}行目と重複しています。")
            else:
                seen[key] = number
        if errors:
            result.errors += errors
        else:
            result.rows.append({"row": number, "association": association.pk, "municipality": values["municipality"].pk,
                                "joined_on": joined.isoformat(), "left_on": left.isoformat() if left else None})
    if result.total == 0:
        raise ImportRefused("取り込む行がありません（1行目は列名、2行目からデータ）。")
    return result


@transaction.atomic
def apply_members(rows: list[dict], *, actor, filename: str) -> int:
    import datetime as dt

    from renkei.registry.models import AssociationMember

    existing = set(AssociationMember.objects.select_for_update().values_list("association_id", "local_government_id",
                                                                             "joined_on"))
    members = []
    for row in rows:
        joined = dt.date.fromisoformat(row["joined_on"])
        if (row["association"], row["municipality"], joined) in existing:
            raise ImportRefused(f"{row['row']}行目は、確認の後に別の操作で登録されました。もう一度確認してください。")
        members.append(AssociationMember(association_id=row["association"], local_government_id=row["municipality"],
                                         joined_on=joined,
                                         left_on=dt.date.fromisoformat(row["left_on"]) if row["left_on"] else None))
    AssociationMember.objects.bulk_create(members, batch_size=1000)
    log_action(actor=actor, action="registry.association_members.imported", obj=None,
               changes={"file": [None, filename], "rows": [None, len(members)]})
    bulk.wrote(AssociationMember, [m.pk for m in members if m.pk])
    return len(members)


@dataclass(frozen=True)
class ImportKind:
    """What a file may hold: how its rows are checked, written, and shown before writing."""

    key: str
    label: str
    header: str  # the first row, as the page and the errors name it
    check: Callable[[list[list]], Checked]
    apply: Callable[..., int]  # apply(rows, *, actor, filename) -> how many records were written
    preview: Callable[[list[dict]], list[dict]]  # rows → {"row", "first", "municipality", "kind", "start", "end"}
    headings: tuple  # the preview's column names for first, municipality, kind, start, end (None: not shown)


KINDS: dict[str, ImportKind] = {}


def import_file(path, kind: str, *, commit: bool, write) -> None:
    """What the import commands do: check a file, `write` a line for each error, and write the rows
    only with `commit` and no error. Raises ImportRefused when nothing was written."""
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise ImportRefused(f"ファイル {path} がありません。")
    checked = KINDS[kind].check(read_table(file.name, file.read_bytes()))
    write(f"{checked.total:,}行を確認: 取り込める行 {len(checked.rows):,}、エラー {len(checked.errors):,}件")
    for error in checked.errors:
        write(f"  {error.row}行目 [{error.column}] {error.message}")
    if checked.errors:
        raise ImportRefused("エラーがあるため取り込みませんでした。")
    if commit:
        write(f"{KINDS[kind].apply(checked.rows, actor=None, filename=file.name):,}件を取り込みました。")
    else:
        write("確認のみ行いました。登録するには --commit を付けてください。")


def register(kind: ImportKind) -> None:
    """Apps add what their files hold, in AppConfig.ready()."""
    KINDS[kind.key] = kind


def _preview_relations(rows: list[dict]) -> list[dict]:
    lgs = LocalGovernment.objects.select_related("prefecture").in_bulk(
        {r["municipality"] for r in rows} | {r["ward"] for r in rows})
    kinds = RelationKind.objects.in_bulk()
    return [{"row": r["row"], "first": lgs[r["ward"]].name, "municipality": lgs[r["municipality"]].full_name,
             "kind": kinds[r["kind"]].name, "start": r["started_on"], "end": r["ended_on"]} for r in rows]


def _preview_members(rows: list[dict]) -> list[dict]:
    from renkei.registry.models import Association

    lgs = LocalGovernment.objects.select_related("prefecture").in_bulk({r["municipality"] for r in rows})
    associations = Association.objects.in_bulk({r["association"] for r in rows})
    return [{"row": r["row"], "first": associations[r["association"]].name,
             "municipality": lgs[r["municipality"]].full_name, "kind": "", "start": r["joined_on"],
             "end": r["left_on"]} for r in rows]


register(ImportKind("relations", "交流", "特別区, 自治体, 種別, 分野, 開始日, 終了日, 備考", check, apply,
                    _preview_relations, ("特別区", "自治体", "種別", "開始日", "終了日")))
register(ImportKind("association_members", "団体の構成自治体", "団体, 自治体, 加入日, 脱退日", check_members,
                    apply_members, _preview_members, ("団体", "自治体", None, "加入日", "脱退日")))
