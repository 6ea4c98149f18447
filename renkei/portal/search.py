"""The portal's own content in the one search index (renkei.core.search): news, events and the
members' PR pages. Drafts, waiting or rejected events, scheduled items before their time and the
PR pages of municipalities that are not members are not found. The public search page finds
every public kind the apps register (disasters, agreements, places, sources too)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.core import search
from renkei.portal.models import Event, NewsItem, Profile, Status

NEWS = search.Kind("news", _("お知らせ"), position=1)
EVENT = search.Kind("event", _("イベント"), position=2)
PROFILE = search.Kind("profile", _("自治体PR"), position=3)


def _visible_from(obj) -> dt.datetime | None:
    return obj.publish_at if obj.status == Status.PUBLISHED and obj.publish_at else None


def index_news(item: NewsItem) -> None:
    search.store(NEWS.key, item.pk, title=item.title, url=item.get_absolute_url(), day=item.published_on,
                 parts=[item.title, item.lead, item.body, *(p.alt for p in item.photos.all())],
                 visible_from=_visible_from(item))


def index_event(event: Event) -> None:
    search.store(EVENT.key, event.pk, title=event.title, url=event.get_absolute_url(), day=event.starts_on,
                 parts=[event.title, event.series, event.venue, event.organisers, event.description, event.report,
                        *(lg.full_name for lg in event.participants.select_related("prefecture")),
                        *(a.name for a in event.associations.all())],
                 visible_from=_visible_from(event))


def index_profile(profile: Profile) -> None:
    lg = profile.local_government
    membership = getattr(lg, "membership", None)
    visible = profile.has_content and membership is not None and membership.is_active
    search.store(PROFILE.key, lg.pk, title=lg.full_name, url=lg.get_absolute_url(),
                 day=timezone.localdate(profile.updated_at),
                 parts=[lg.full_name, lg.kana, profile.catchphrase, profile.introduction, profile.specialities,
                        profile.sights],
                 visible_from=profile.updated_at if visible else None)


def public_kinds() -> list[tuple[str, str]]:
    """The kinds the public search page offers, as (key, label)."""
    return [(kind.key, kind.label) for kind in search.public_kinds()]


snippet = search.snippet


def quote(kind: str, text: str, query: str) -> str:
    """What a result shows of its text: the words around the match, or what its kind quotes."""
    own = search.KINDS[kind].quote
    return own(text, query) if own is not None else snippet(text, query)


def find(query: str, *, kind: str = "", now=None):
    """Visible public documents containing every term of the query (of one kind, or any), newest first."""
    kinds = [kind] if kind else [key for key, _ in public_kinds()]
    return search.find(query, kinds=kinds, now=now)
