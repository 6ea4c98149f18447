"""One search index for everything people look for: the public pages (news, events, PR pages,
places, disasters, agreements, sources) and the posts members may read on the board.

Each app registers its kinds (`register(Kind(...))`) and keeps its documents true after every
write (`store`, `remove`): it decides what text a document has and from when it may be found,
so each kind's visibility rule stays with the app that owns it. The index is the documents'
1-, 2- and 3-character grams (renkei.core.grams), with each gram's count per kind kept beside
it. One planner reads it: a term of up to 3 characters is one exact gram; a longer term starts
from its rarest 3-character gram and is confirmed as a substring on those documents alone.
Neither SQLite's FTS5 trigram tokenizer (blind under 3 characters) nor pg_trgm (blind to Japanese
under a C ctype) is needed, and both databases behave the same.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, F, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from renkei.core import grams as g
from renkei.core.models import GramCount, SearchDocument, SearchGram

SHARDS = 16  # each gram's count per kind is kept in this many rows: a document adds to row `id % SHARDS`
ALWAYS = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # reference records: found from the start


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # as the search page names it
    members_only: bool = False  # found by members on the board, never by the public
    position: int = 100  # in the search page's list of kinds
    # What a result quotes of its document's text (HTML), where the indexed text is partly lookup
    # aids (readings, codes) a reader does not want quoted; None: the words around the first match.
    quote: Callable[[str, str], str] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Apps add what they index, in AppConfig.ready()."""
    KINDS[kind.key] = kind


def public_kinds() -> list[Kind]:
    return sorted((k for k in KINDS.values() if not k.members_only), key=lambda k: (k.position, k.key))


# --- Keeping the index true (the apps call these after every write) ---

def store(kind: str, key, *, title: str, url: str, day, parts: Iterable[str], visible_from) -> None:
    """Make the index hold the object as it is now: `parts` are the texts it is found by (its
    title among them, where it is), `title` and `url` what a result shows. `visible_from` None
    takes it out of every search (its document stays, so it comes back under the same number)."""
    text = g.normalise("\n".join(p for p in parts if p)) if visible_from is not None else ""
    document, created = SearchDocument.objects.update_or_create(
        kind=kind, key=str(key),
        defaults={"title": title[:200], "url": url, "day": day, "text": text, "visible_from": visible_from},
    )
    _reindex(document, set() if created else set(document.grams.values_list("gram", flat=True)), g.grams(text))


def store_new(kind: str, documents: list[dict]) -> int:
    """Many documents that do not exist yet (an import, the first load of the reference data),
    written in bulk: a handful of queries instead of several per document."""
    rows = []
    for d in documents:
        text = g.normalise("\n".join(p for p in d["parts"] if p))
        rows.append(SearchDocument(kind=kind, key=str(d["key"]), title=d["title"][:200], url=d["url"], day=d["day"],
                                   text=text, visible_from=d["visible_from"]))
    created = SearchDocument.objects.bulk_create(rows, batch_size=500)
    if not all(doc.pk for doc in created):  # a backend that does not return keys from bulk inserts
        by_key = dict(SearchDocument.objects.filter(kind=kind, key__in=[r.key for r in rows]).values_list("key", "pk"))
        for doc in created:
            doc.pk = by_key[doc.key]
    SearchGram.objects.bulk_create([SearchGram(document_id=doc.pk, gram=x) for doc in created for x in g.grams(doc.text)],
                                   batch_size=5000)
    for shard in range(SHARDS):
        counted = {}
        for doc in created:
            if doc.pk % SHARDS == shard:
                for gram in g.grams(doc.text):
                    counted[gram] = counted.get(gram, 0) + 1
        _count(kind, shard, counted)
    return len(created)


def hide(kind: str, key) -> None:
    """Take an object out of every search for now, if it was ever indexed (store with visible_from None)."""
    document = SearchDocument.objects.filter(kind=kind, key=str(key)).first()
    if document is not None and document.visible_from is not None:
        _reindex(document, set(document.grams.values_list("gram", flat=True)), set())
        SearchDocument.objects.filter(pk=document.pk).update(text="", visible_from=None)


def remove(kind: str, key) -> None:
    """Take an object out of the index for good (it was deleted)."""
    document = SearchDocument.objects.filter(kind=kind, key=str(key)).first()
    if document is not None:
        _reindex(document, set(document.grams.values_list("gram", flat=True)), set())
        document.delete()


def refold(*, bump: bool = True) -> int:
    """Normalise again the kept documents whose text the folding (grams.normalise) now writes
    otherwise, and index their grams anew; returns how many changed. Their stored text is
    already folded, and folding is idempotent, so the objects themselves need not be read. A
    migration passes bump=False and moves the content version itself (other apps' tables may not
    have their columns yet)."""
    changed = 0
    for document in SearchDocument.objects.only("pk", "kind", "text").iterator():
        text = g.normalise(document.text)
        if text != document.text:
            _reindex(document, set(document.grams.values_list("gram", flat=True)), g.grams(text))
            SearchDocument.objects.filter(pk=document.pk).update(text=text)
            changed += 1
    if changed and bump:  # search pages kept by the page cache answered with the earlier folding
        from renkei.core import caching

        caching.bump()
    return changed


def _reindex(document: SearchDocument, old: set[int], new: set[int]) -> None:
    gone, added = old - new, new - old
    if gone:
        SearchGram.objects.filter(document=document, gram__in=gone).delete()
        _count(document.kind, document.pk % SHARDS, dict.fromkeys(gone, -1))
    if added:
        SearchGram.objects.bulk_create([SearchGram(document=document, gram=x) for x in added], batch_size=2000)
        _count(document.kind, document.pk % SHARDS, dict.fromkeys(added, 1))


def _count(kind: str, shard: int, deltas: dict[int, int]) -> None:
    """Add to each gram's kept count in one shard (an upsert, on SQLite and PostgreSQL). One
    order for every writer, so row locks are taken without deadlock."""
    table = GramCount._meta.db_table
    rows = [(kind, gram, shard, delta, delta) for gram, delta in sorted(deltas.items()) if delta]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(
                f"INSERT INTO {table} (kind, gram, shard, documents) VALUES (%s, %s, %s, %s) "  # noqa: S608 (the model's table)  # nosec B608
                f"ON CONFLICT (gram, kind, shard) DO UPDATE SET documents = {table}.documents + %s",
                rows[start:start + 1000])


# --- Reading it: the one planner ---

def counts(kinds: Iterable[str], grams: Iterable[int]) -> dict[int, int]:
    """How many documents of the kinds have each gram (the kept counts, summed over shards)."""
    rows = (GramCount.objects.filter(kind__in=list(kinds), gram__in=list(grams)).values("gram")
            .annotate(n=Sum("documents")).order_by())
    return {row["gram"]: row["n"] for row in rows}


def plan(term: str, kinds: Iterable[str]) -> tuple[int, bool]:
    """The gram to read a term off the index by, and whether the documents it gives must still
    be confirmed as containing the term: exact up to 3 characters, else its rarest 3-gram."""
    exact = g.exact_gram(term)
    if exact is not None:
        return exact, False
    candidates = g.grams_of(term)
    kept = counts(kinds, candidates)
    return min(sorted(candidates), key=lambda gram: kept.get(gram, 0)), True


def matching(documents: QuerySet, query: str, kinds: Iterable[str]) -> QuerySet:
    """The documents (of the kinds) containing every term of the query, as `str.__contains__`
    on their text would say."""
    kinds = list(kinds)
    for term in g.terms(query):
        gram, confirm = plan(term, kinds)
        documents = documents.filter(pk__in=SearchGram.objects.filter(gram=gram).values("document_id"))
        if confirm:
            documents = documents.filter(text__contains=term)
    return documents


def visible(kinds: Iterable[str], now=None) -> QuerySet:
    """The documents of the kinds that may be found now."""
    return SearchDocument.objects.filter(kind__in=list(kinds), visible_from__lte=now or timezone.now())


def find(query: str, *, kinds: Iterable[str], now=None) -> QuerySet:
    """What the public search shows: visible documents of the kinds containing every term, newest first."""
    kinds = list(kinds)
    return matching(visible(kinds, now), query, kinds).order_by(F("day").desc(nulls_last=True), "-pk")


def numbers(documents: QuerySet) -> QuerySet:
    """The objects' primary keys of documents whose keys are numbers (board posts), for `pk__in`."""
    return documents.annotate(number=Cast("key", BigIntegerField())).values("number")


def document_frequency(kind: str, gram: int) -> int:
    return counts([kind], [gram]).get(gram, 0)


class Newest:
    """Newest-first documents of one kind containing one term, read straight off the index.

    Django's Paginator needs only count() and slicing. Up to 3 characters both run on the
    (gram, document) index alone, so a term found in half of 100,000 documents costs an index
    range, not a scan, and the count is the kept one, exact. A longer term walks its rarest
    3-gram's documents newest first, in chunks, confirming the substring, and stops once it has
    COUNT_CAP + 1 matches (「1,000件以上」) rather than reading every match.
    """

    COUNT_CAP = 1000
    CHUNK = 1100

    def __init__(self, kind: str, term: str):
        self.kind, self.term = kind, term
        self.gram, self.verify = plan(term, [kind])
        # A document out of every search has no grams: the kind is all there is to check.
        self.ids = SearchGram.objects.filter(gram=self.gram, document__kind=kind).values_list("document_id", flat=True)

    def _confirmed(self) -> list[int]:
        """Newest first, the ids of documents that contain the term, at most COUNT_CAP + 1."""
        if not hasattr(self, "_matches"):
            matches, before = [], None
            while len(matches) <= self.COUNT_CAP:
                chunk_ids = self.ids.order_by("-document_id")
                if before is not None:
                    chunk_ids = chunk_ids.filter(document_id__lt=before)
                chunk = list(chunk_ids[:self.CHUNK])
                if not chunk:
                    break
                texts = dict(SearchDocument.objects.filter(pk__in=chunk).values_list("pk", "text"))
                matches += [pk for pk in chunk if self.term in texts.get(pk, "")]
                before = chunk[-1]
            self._matches = matches[:self.COUNT_CAP + 1]
        return self._matches

    @property
    def cap(self) -> int:
        return self.COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.verify and self.count() > self.cap

    def count(self) -> int:
        if not hasattr(self, "_count"):
            self._count = len(self._confirmed()) if self.verify else document_frequency(self.kind, self.gram)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def documents(self, index: slice) -> list[SearchDocument]:
        """The documents of a slice of the results, in order."""
        ids = self._confirmed()[index] if self.verify else list(self.ids.order_by("-document_id")[index])
        found = SearchDocument.objects.in_bulk(ids)
        return [found[i] for i in ids if i in found]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        return self.documents(index)


def texts(kind: str, keys: Iterable) -> dict[str, str]:
    """The indexed text of some objects of a kind, by key (a page of results' snippets)."""
    return dict(SearchDocument.objects.filter(kind=kind, key__in=[str(k) for k in keys]).values_list("key", "text"))


snippet = g.snippet
terms = g.terms
normalise = g.normalise
