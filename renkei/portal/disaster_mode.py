"""災害モード: when everyone looks at once, the home page and the disaster pages are light and
are files.

The mode is one row (SiteMode), switched by the secretariat (/secretariat/disaster-mode/) or the
shell (manage.py disaster_mode on|off|drill|status). While it is on or in a drill, the light pages
— the home page, the list of disasters, and a page per disaster whose HQ is set up — are rendered
in Japanese and English into a new folder under settings.LIGHT_PAGES_ROOT/builds/, and a link
(`live` when on, `drill` in a drill) is swapped to it in one step. Any committed change of public
content renders them again (core.caching's `changed` listeners), so they are never older than
the last write.

The files are what is served: nginx reads `live/` (deploy/nginx/renkei.conf), and without nginx
renkei.portal.light_server answers them before Django runs. Only the link's presence says the mode
to them, so neither needs the database. A drill's pages are never served to the public; the
secretariat opens them through its own pages.
"""

import datetime as dt
import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from renkei.core.audit import log_action
from renkei.disasters import selectors as disaster_selectors
from renkei.disasters.models import Decision, Disaster
from renkei.portal.models import SiteMode

LIVE, DRILL = "live", "drill"
LANGUAGES = ("ja", "en")
KEEP_BUILDS = 3


def root() -> Path:
    return Path(settings.LIGHT_PAGES_ROOT)


def state() -> str:
    """The mode as the files say it (no database): "on", "drill" or "off"."""
    base = root()
    if (base / LIVE).exists():
        return SiteMode.Mode.ON
    if (base / DRILL).exists():
        return SiteMode.Mode.DRILL
    return SiteMode.Mode.OFF


def current() -> SiteMode:
    return SiteMode.objects.get_or_create(pk=1)[0]


@transaction.atomic
def set_mode(*, mode: str, actor) -> SiteMode:
    """Switch the public site's mode; the pages follow as soon as the switch is committed."""
    if mode not in SiteMode.Mode.values:
        raise ValueError(mode)
    row = SiteMode.objects.select_for_update().get_or_create(pk=1)[0]
    before = row.mode
    row.mode, row.changed_at = mode, timezone.now()
    row.changed_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    log_action(actor=actor, action="portal.site_mode.changed", obj=row, changes={"mode": [before, mode]})
    transaction.on_commit(lambda: publish(force=True))
    return row


def page_paths(disasters) -> dict[str, tuple[str, dict]]:
    """Each light page: its file under a language folder → (template, context)."""
    pages = {"index.html": ("portal/light/home.html", {}),
             "disasters/index.html": ("portal/light/disasters.html", {})}
    for disaster in disasters:
        pages[f"disasters/{disaster.pk}/index.html"] = ("portal/light/disaster.html", {"disaster": disaster})
    return pages


def _shown(mode: str) -> list[Disaster]:
    queryset = Disaster.objects.active() if mode == SiteMode.Mode.DRILL else Disaster.objects.public().active()
    return list(queryset.prefetch_related("affected__prefecture").order_by("-activated_at"))


def _facts(disaster: Disaster, today: dt.date) -> dict:
    return {
        "disaster": disaster,
        "summary": disaster_selectors.dispatch_counts(disaster, today),
        "counterparts": list(disaster.counterparts.filter(valid_until__isnull=True)
                             .select_related("municipality__prefecture").prefetch_related("wards")),
        "supplies": disaster_selectors.supplies_by_item(disaster),
        "decisions": list(disaster.decisions.filter(status=Decision.Status.CONFIRMED).order_by("-decided_on")[:10]),
    }


def render_pages(mode: str) -> dict[str, bytes]:
    """Every light page in both languages: relative path → HTML bytes."""
    now = timezone.now()
    today = timezone.localdate(now)
    shown = _shown(mode)
    facts = [_facts(d, today) for d in shown]
    recent = list(Disaster.objects.public().order_by("-started_on")[:20])
    files = {}
    for language in LANGUAGES:
        with translation.override(language):
            for path, (template, extra) in page_paths(shown).items():
                context = {"now": now, "facts": facts, "recent": recent, "drill": mode == SiteMode.Mode.DRILL,
                           "language": language, **extra}
                if "disaster" in extra:
                    context["fact"] = next(f for f in facts if f["disaster"].pk == extra["disaster"].pk)
                files[f"{language}/{path}"] = render_to_string(template, context).encode()
    return files


def _built_stamp(link: Path) -> str | None:
    try:
        return (link / ".stamp").read_text()
    except OSError:
        return None


def publish(stamp: str | None = None, *, force: bool = False) -> str:
    """Make the files match the mode in the database: render a new build and swap the link to it,
    or remove the links when the mode is off. Returns the mode published."""
    mode = current().mode
    base = root()
    if mode == SiteMode.Mode.OFF:
        for name in (LIVE, DRILL):
            _unlink(base / name)
        return mode
    name, other = (LIVE, DRILL) if mode == SiteMode.Mode.ON else (DRILL, LIVE)
    _unlink(base / other)
    if not force and stamp is not None and _built_stamp(base / name) == stamp:
        return mode  # this version is already out
    build = base / "builds" / f"{timezone.now():%Y%m%d%H%M%S%f}-{secrets.token_hex(4)}"
    for path, body in render_pages(mode).items():
        target = build / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    from renkei.core.models import ContentVersion

    (build / ".stamp").write_text(stamp or ContentVersion.objects.filter(pk=1).values_list("stamp", flat=True).first()
                                  or "")
    temporary = base / f".{name}-{secrets.token_hex(4)}"
    os.symlink(build.relative_to(base), temporary)
    os.replace(temporary, base / name)  # one step: a reader sees the old build or the new one
    _prune(base)
    return mode


def changed(stamp: str | None) -> None:
    """core.caching listener: public content changed; render again if the mode needs the files.
    The files say the mode (no query on every write); a failed switch shows in `disaster_mode status`."""
    if state() != SiteMode.Mode.OFF:
        publish(stamp)


def _unlink(link: Path) -> None:
    try:
        link.unlink()
    except FileNotFoundError:
        pass


def _prune(base: Path) -> None:
    builds = sorted((base / "builds").iterdir(), reverse=True)
    linked = {(base / name).resolve() for name in (LIVE, DRILL) if (base / name).exists()}
    for old in builds[KEEP_BUILDS:]:
        if old.resolve() not in linked:
            shutil.rmtree(old, ignore_errors=True)


def preview(mode: str, language: str, path: str) -> bytes | None:
    """A published light page for the secretariat to look at (a drill's included)."""
    name = LIVE if mode == SiteMode.Mode.ON else DRILL
    if language not in LANGUAGES or ".." in path.split("/"):
        return None
    try:
        return (root() / name / language / path).read_bytes()
    except OSError:
        return None
