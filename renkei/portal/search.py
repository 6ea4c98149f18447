"""Search over the public portal: news, events and PR pages, exact for 1 and 2 characters.

Each public object is one SearchDocument (its normalised text and when it becomes visible)
indexed by the same 1-, 2- and 3-character grams as the board (renkei.core.grams): a term of
up to 3 characters is one exact index lookup; a longer one is narrowed by its rarest 3-gram and
confirmed as a substring. Drafts, waiting or rejected events, scheduled items before their
time and the PR pages of non-members are not found.
"""

import datetime as dt

from django.db.models import Count, QuerySet
from django.utils import timezone

from renkei.core import grams as g
from renkei.portal.models import Event, NewsItem, Profile, SearchDocument, SearchGram, Status

NEVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def _store(kind: str, key, *, title: str, url: str, day, parts: list[str], visible_from) -> None:
    if visible_from is None:
        SearchDocument.objects.filter(kind=kind, key=str(key)).delete()
        return
    text = g.normalise("\n".join(p for p in [title, *parts] if p))
    document, created = SearchDocument.objects.update_or_create(
        kind=kind, key=str(key),
        defaults={"title": title[:200], "url": url, "day": day, "text": text, "visible_from": visible_from},
    )
    new = g.grams(text)
    old = set() if created else set(document.grams.values_list("gram", flat=True))
    if old - new:
        document.grams.filter(gram__in=old - new).delete()
    SearchGram.objects.bulk_create([SearchGram(document=document, gram=x) for x in new - old], batch_size=2000)


def _visible_from(obj) -> dt.datetime | None:
    return obj.publish_at if obj.status == Status.PUBLISHED and obj.publish_at else None


def index_news(item: NewsItem) -> None:
    _store("news", item.pk, title=item.title, url=item.get_absolute_url(), day=item.published_on,
           parts=[item.lead, item.body, *(p.alt for p in item.photos.all())], visible_from=_visible_from(item))


def index_event(event: Event) -> None:
    _store("event", event.pk, title=event.title, url=event.get_absolute_url(), day=event.starts_on,
           parts=[event.series, event.venue, event.organisers, event.description, event.report,
                  *(lg.full_name for lg in event.participants.select_related("prefecture")),
                  *(a.name for a in event.associations.all())],
           visible_from=_visible_from(event))


def index_profile(profile: Profile) -> None:
    lg = profile.local_government
    membership = getattr(lg, "membership", None)
    visible = profile.has_content and membership is not None and membership.is_active
    _store("profile", lg.pk, title=lg.full_name, url=lg.get_absolute_url(), day=timezone.localdate(profile.updated_at),
           parts=[lg.kana, profile.catchphrase, profile.introduction, profile.specialities, profile.sights],
           visible_from=profile.updated_at if visible else None)


def remove(obj) -> None:
    kind = {NewsItem: "news", Event: "event", Profile: "profile"}[type(obj)]
    SearchDocument.objects.filter(kind=kind, key=str(obj.pk)).delete()


def matching(query: str, *, kind: str = "", now=None) -> QuerySet:
    """Visible documents containing every term of the query, newest first."""
    documents = SearchDocument.objects.filter(visible_from__lte=now or timezone.now())
    if kind:
        documents = documents.filter(kind=kind)
    for term in g.terms(query):
        exact = g.exact_gram(term)
        if exact is not None:
            documents = documents.filter(pk__in=SearchGram.objects.filter(gram=exact).values("document_id"))
        else:
            candidates = g.grams_of(term)
            counts = dict(SearchGram.objects.filter(gram__in=candidates).values_list("gram").annotate(n=Count("id")))
            rarest = min(sorted(candidates), key=lambda x: counts.get(x, 0))
            documents = documents.filter(pk__in=SearchGram.objects.filter(gram=rarest).values("document_id"),
                                         text__contains=term)
    return documents.order_by("-day", "-pk")


def snippet(document: SearchDocument, query: str) -> str:
    return g.snippet(document.text, query)
