"""Search over every public page: news, events, PR pages, disasters, agreements, relations,
local governments and sources, exact for 1 and 2 characters.

Each public object is one SearchDocument (its normalised text and when it becomes visible)
indexed by the same 1-, 2- and 3-character grams as the board (renkei.core.grams): a term of
up to 3 characters is one exact index lookup; a longer one is narrowed by its rarest 3-gram and
confirmed as a substring. Drafts, waiting or rejected events, scheduled items before their
time, the PR pages of non-members and drills are not found. A local government is found by its
name and by its reading, in hiragana and in katakana (あおもり, アオモリ, ｱｵﾓﾘ all find 青森).
"""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
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


def _store_new(kind: str, documents: list[dict]) -> int:
    """Many documents that do not exist yet (an import, the first load of the reference data),
    written in bulk: a handful of queries instead of several per document."""
    rows = []
    for d in documents:
        text = g.normalise("\n".join(p for p in [d["title"], *d["parts"]] if p))
        rows.append(SearchDocument(kind=kind, key=str(d["key"]), title=d["title"][:200], url=d["url"], day=d["day"],
                                   text=text, visible_from=d["visible_from"]))
    created = SearchDocument.objects.bulk_create(rows, batch_size=500)
    if not all(doc.pk for doc in created):  # a backend that does not return keys from bulk inserts
        by_key = dict(SearchDocument.objects.filter(kind=kind, key__in=[r.key for r in rows]).values_list("key", "pk"))
        for doc in created:
            doc.pk = by_key[doc.key]
    SearchGram.objects.bulk_create([SearchGram(document_id=doc.pk, gram=x) for doc in created for x in g.grams(doc.text)],
                                   batch_size=5000)
    return len(created)


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


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _place_parts(lg) -> list[str]:
    return [lg.full_name, lg.kana, _katakana(lg.kana)]


ALWAYS = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # reference records are public from the start


def index_disaster(disaster) -> None:
    _store("disaster", disaster.pk, title=disaster.name, url=disaster.get_absolute_url(), day=disaster.started_on,
           parts=[disaster.get_kind_display(), disaster.summary,
                  *(part for lg in disaster.affected.select_related("prefecture") for part in _place_parts(lg))],
           visible_from=None if disaster.is_drill else ALWAYS)


def index_agreement(agreement) -> None:
    from django.urls import reverse

    association = agreement.association
    _store("agreement", agreement.pk, title=f"{association.name}との広域連携協定", url=reverse("portal:agreements"),
           day=agreement.signed_on, parts=[association.name, association.prefecture.name, "広域連携協定"],
           visible_from=ALWAYS)


def index_publication(publication) -> None:
    from django.urls import reverse

    _store("source", publication.pk, title=publication.title, url=reverse("sources:publication", args=[publication.slug]),
           day=publication.published_on, parts=[publication.publisher], visible_from=ALWAYS)


def _place_document(lg, relations) -> dict:
    """A local government's page: its name, reading in both kana, kind, code, and its relations
    with the wards (so 「友好都市」 or 「千代田区」 finds the places they tie)."""
    ties = [f"{r.ward.name if r.municipality_id == lg.code else r.municipality.full_name} {r.kind.name}"
            for r in relations]
    return {"key": lg.code, "title": lg.full_name, "url": lg.get_absolute_url(), "day": None,
            "parts": [*_place_parts(lg), lg.get_kind_display(), lg.code, *ties], "visible_from": ALWAYS}


def _relations_by_place(codes=None) -> dict:
    from renkei.registry.models import Relation

    relations = Relation.objects.select_related("ward", "municipality__prefecture", "kind").order_by("pk")
    if codes is not None:
        relations = relations.filter(Q(municipality__in=codes) | Q(ward__in=codes))
    found = {}
    for r in relations:
        found.setdefault(r.municipality_id, []).append(r)
        found.setdefault(r.ward_id, []).append(r)
    return found


def index_places(codes=None) -> int:
    """Write the documents of local governments (all, or those `codes` name): new ones in bulk."""
    from renkei.municipalities.models import LocalGovernment

    places = LocalGovernment.objects.select_related("prefecture").order_by("code")
    if codes is not None:
        places = places.filter(code__in=list(codes))
    relations = _relations_by_place(None if codes is None else list(codes))
    existing = set(SearchDocument.objects.filter(kind="place").values_list("key", flat=True))
    new = []
    for lg in places:
        document = _place_document(lg, relations.get(lg.code, []))
        if lg.code in existing:
            _store("place", **document)
        else:
            new.append(document)
    return _store_new("place", new) + len([lg for lg in places if lg.code in existing])


def index_missing_places() -> str:
    """For load_reference_data: the local governments without a document (the first load, or new
    ones) are written; the others follow their relations as they change."""
    from renkei.municipalities.models import LocalGovernment

    existing = set(SearchDocument.objects.filter(kind="place").values_list("key", flat=True))
    missing = [code for code in LocalGovernment.objects.values_list("code", flat=True) if code not in existing]
    return f"サイト内検索（自治体）: 新規 {index_places(missing) if missing else 0}件"


KIND_OF = {"portal.newsitem": "news", "portal.event": "event", "portal.profile": "profile",
           "disasters.disaster": "disaster", "registry.wideareaagreement": "agreement", "sources.publication": "source"}


def remove(obj) -> None:
    SearchDocument.objects.filter(kind=KIND_OF[obj._meta.label_lower], key=str(obj.pk)).delete()


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
    return documents.order_by(F("day").desc(nulls_last=True), "-pk")


def snippet(document: SearchDocument, query: str) -> str:
    return g.snippet(document.text, query)
