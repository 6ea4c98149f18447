"""Writing the registry: relations (交流) and the lists behind them."""

import tomllib
from pathlib import Path

from django.db import transaction

from renkei.registry.models import CooperationField, RelationKind

LISTS = Path(__file__).resolve().parent / "data" / "lists.toml"


@transaction.atomic
def load_reference_lists(path: Path = LISTS) -> tuple[int, int]:
    """Add the shipped relation kinds and fields that are missing; never changes the secretariat's."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = sum(RelationKind.objects.get_or_create(name=name, defaults={"position": i})[1]
                for i, name in enumerate(data["relation_kinds"], start=1))
    fields = sum(CooperationField.objects.get_or_create(name=name, defaults={"position": i})[1]
                 for i, name in enumerate(data["fields"], start=1))
    return kinds, fields
