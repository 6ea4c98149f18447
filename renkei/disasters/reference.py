"""The disasters' reference data: the lists of jobs (職種) and channels (派遣ルート), and the wards'
populations (人口割). Loaded at every start; what the secretariat changed stays."""

import tomllib
from pathlib import Path

from renkei.disasters import shares
from renkei.disasters.models import Channel, Population, Role

LISTS = Path(__file__).resolve().parent / "data" / "lists.toml"
CENSUS = "令和2年国勢調査"


def role_aliases() -> dict[str, str]:
    """Other names of jobs as spreadsheets write them (事務 → 事務職員), lists.toml's [role_aliases]."""
    return tomllib.loads(LISTS.read_text(encoding="utf-8")).get("role_aliases", {})


def load_reference_data() -> str:
    data = tomllib.loads(LISTS.read_text(encoding="utf-8"))
    roles = sum(Role.objects.get_or_create(name=name, defaults={"position": i})[1]
                for i, name in enumerate(data["roles"], start=1))
    channels = sum(Channel.objects.get_or_create(name=name, defaults={"position": i})[1]
                   for i, name in enumerate(data["channels"], start=1))
    populations = sum(Population.objects.get_or_create(local_government_id=code,
                                                       defaults={"population": people, "census": CENSUS})[1]
                      for code, people in shares.ward_populations().items())
    return f"職種: 新規 {roles}件, 派遣ルート: 新規 {channels}件, 区の人口: 新規 {populations}件"
