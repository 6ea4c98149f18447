"""Japanese full-text search over board posts that returns exactly what a substring match would.

Every post's normalised text (title, body, attachment names) is indexed as the set of its
1-, 2- and 3-character grams, stored as integers. A query of up to 3 characters is one index
lookup and is exact: a text contains 「観」, 「観光」 or 「観光客」 exactly when it has that gram. A
longer query starts from its rarest 3-character gram and confirms the substring on those
candidates alone. Neither SQLite's FTS5 trigram tokenizer (blind under 3 characters) nor pg_trgm
(blind to Japanese under a C ctype) is needed, and both databases behave the same.
"""

from django.db.models import QuerySet

from renkei.core.grams import exact_gram as _exact_gram
from renkei.core.grams import grams, normalise, snippet, terms  # noqa: F401 (the board's search vocabulary)
from renkei.core.grams import grams_of as _grams_of

# Each gram's count is kept in this many rows; a post adds to row `post id % SHARDS`.
SHARDS = 16


def _counts(grams) -> dict[int, int]:
    """The kept document frequency of each gram (the sum of its shards)."""
    from django.db.models import Sum

    from renkei.board.models import GramCount

    rows = GramCount.objects.filter(gram__in=grams).values("gram").annotate(n=Sum("posts")).order_by()
    return {row["gram"]: row["n"] for row in rows}


def _rarest(grams: set[int]) -> tuple[int, int]:
    """The gram with the fewest posts, from the kept counts: the cheapest list to start from."""
    counts = _counts(grams)
    gram = min(sorted(grams), key=lambda g: counts.get(g, 0))
    return gram, counts.get(gram, 0)


def matching(posts: QuerySet, query: str) -> QuerySet:
    """The posts whose text contains every term of the query, as `str.__contains__` would say.

    A term of up to 3 characters is one exact gram. A longer term starts from its rarest
    3-character gram and confirms the substring on those posts only.
    """
    from renkei.board.models import PostGram

    for term in terms(query):
        exact = _exact_gram(term)
        if exact is not None:
            posts = posts.filter(pk__in=PostGram.objects.filter(gram=exact).values("post_id"))
        else:
            gram, _ = _rarest(_grams_of(term))
            posts = posts.filter(pk__in=PostGram.objects.filter(gram=gram).values("post_id"), search_text__contains=term)
    return posts


class GramResults:
    """Newest-first results of a one-term query, read straight off the index (no filters).

    Django's Paginator needs only count() and slicing. Up to 3 characters both run on the
    (gram, post) index alone, so a term found in half of 100,000 posts costs an index range, not
    a scan of the posts. A longer term walks its
    rarest 3-gram's posts newest first, in chunks, confirming the substring, and stops once it
    has COUNT_CAP + 1 matches (「1,000件以上」) rather than reading every match. Up to 3
    characters the count is exact, read from the kept document frequency.
    """

    COUNT_CAP = 1000
    CHUNK = 1100

    def __init__(self, term: str, related=("thread__category", "organization__prefecture")):
        from renkei.board.models import PostGram

        self.term = term
        self.related = related
        exact = _exact_gram(term)
        self.verify = exact is None
        gram = exact if exact is not None else _rarest(_grams_of(term))[0]
        self.gram = gram
        self.ids = PostGram.objects.filter(gram=gram).values_list("post_id", flat=True)

    def _confirmed(self) -> list[int]:
        """Newest first, the ids of posts that contain the term, at most COUNT_CAP + 1."""
        if not hasattr(self, "_matches"):
            from renkei.board.models import Post

            matches, before = [], None
            while len(matches) <= self.COUNT_CAP:
                chunk_ids = self.ids.order_by("-post_id")
                if before is not None:
                    chunk_ids = chunk_ids.filter(post_id__lt=before)
                chunk = list(chunk_ids[:self.CHUNK])
                if not chunk:
                    break
                texts = dict(Post.objects.filter(pk__in=chunk).values_list("pk", "search_text"))
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
            if self.verify:
                self._count = len(self._confirmed())
            else:
                self._count = document_frequency(self.gram)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        from renkei.board.models import Post

        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = self._confirmed()[index] if self.verify else list(self.ids.order_by("-post_id")[index])
        found = Post.objects.select_related(*self.related).in_bulk(ids)
        return [found[i] for i in ids if i in found]


def _count(post, grams, delta: int) -> None:
    """Add `delta` to the document frequency of each gram, in the post's shard (an upsert, on
    SQLite and PostgreSQL)."""
    from django.db import connection

    from renkei.board.models import GramCount

    table = GramCount._meta.db_table
    shard = post.pk % SHARDS
    rows = [(g,) for g in sorted(grams)]  # one order for every writer: row locks taken without deadlock
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(
                f"INSERT INTO {table} (gram, shard, posts) VALUES (%s, {shard}, {delta}) "  # noqa: S608 (the model's table, ints)  # nosec B608
                f"ON CONFLICT (gram, shard) DO UPDATE SET posts = {table}.posts + {delta}",
                rows[start:start + 1000])


def index_post(post) -> None:
    """Bring a post's search text and grams up to date with what members may find of it: its
    text (the thread's title for the first post, the body, the files' names), or nothing once
    it is hidden, deleted or in a hidden thread. Called after every write (signals.py)."""
    from renkei.board.models import Post

    thread = Post.objects.visible().filter(pk=post.pk).values("thread__title").first()
    if thread is None:  # members may not read it: nothing of it is found
        unindex(post)
        return
    first = Post.objects.filter(thread_id=post.thread_id).order_by("created_at", "id").values_list("pk", flat=True)[:1]
    title = thread["thread__title"] if post.pk in first else ""
    names = " ".join(post.attachments.order_by("id").values_list("name", flat=True))
    text = normalise("\n".join([title, post.body, names]))
    if text != post.search_text:
        post.search_text = text
        Post.objects.filter(pk=post.pk).update(search_text=text)
    index(post)


def index(post) -> None:
    """Make the index hold exactly the grams of the post's current text, counts included."""
    from renkei.board.models import PostGram

    old = set(PostGram.objects.filter(post=post).values_list("gram", flat=True))
    new = grams(post.search_text)
    gone, added = old - new, new - old
    if gone:
        PostGram.objects.filter(post=post, gram__in=gone).delete()
        _count(post, gone, -1)
    if added:
        PostGram.objects.bulk_create([PostGram(gram=g, post=post) for g in added], batch_size=2000)
        _count(post, added, 1)


def unindex(post) -> None:
    """Take a post out of the index (hidden or deleted)."""
    from renkei.board.models import PostGram

    old = list(PostGram.objects.filter(post=post).values_list("gram", flat=True))
    if old:
        PostGram.objects.filter(post=post).delete()
        _count(post, old, -1)


def document_frequency(gram: int) -> int:
    return _counts([gram]).get(gram, 0)
