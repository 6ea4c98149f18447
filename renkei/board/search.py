"""Japanese full-text search over board posts that returns exactly what a substring match would.

Every post's normalised text (title, body, attachment names) is indexed as the set of its
1-, 2- and 3-character grams, stored as integers. A query of up to 3 characters is one index
lookup and is exact: a text contains 「観」, 「観光」 or 「観光客」 exactly when it has that gram. A
longer query starts from its rarest 3-character gram and confirms the substring on those
candidates alone. Neither SQLite's FTS5 trigram tokenizer (blind under 3 characters) nor pg_trgm
(blind to Japanese under a C ctype) is needed, and both databases behave the same.
"""

import html
import re
import unicodedata

from django.db.models import Count, QuerySet

BIGRAM_FLAG = 1 << 42
TRIGRAM_FLAG = 1 << 61  # three BMP characters of 16 bits each; others fall back to 2-grams


def normalise(text: str) -> str:
    """NFKC (全角英数→半角, 半角カナ→全角) and case-folded: what is indexed and what is searched."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def unigram(char: str) -> int:
    return ord(char)


def bigram(pair: str) -> int:
    return BIGRAM_FLAG | (ord(pair[0]) << 21) | ord(pair[1])


def trigram(triple: str) -> int | None:
    a, b, c = (ord(ch) for ch in triple)
    if max(a, b, c) > 0xFFFF:
        return None
    return TRIGRAM_FLAG | (a << 32) | (b << 16) | c


def grams(text: str) -> set[int]:
    text = normalise(text)
    found = {unigram(c) for c in text if not c.isspace()}
    found |= {bigram(text[i:i + 2]) for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())}
    for i in range(len(text) - 2):
        piece = text[i:i + 3]
        if not any(ch.isspace() for ch in piece):
            gram = trigram(piece)
            if gram is not None:
                found.add(gram)
    return found


def terms(query: str) -> list[str]:
    """The query's words (split on spaces), normalised, each searched for as a substring."""
    return [t for t in normalise(query).split() if t][:5]


def _exact_gram(term: str) -> int | None:
    """The one gram that decides a term of up to 3 characters, or None."""
    if len(term) == 1:
        return unigram(term)
    if len(term) == 2:
        return bigram(term)
    if len(term) == 3:
        return trigram(term)
    return None


def _grams_of(term: str) -> set[int]:
    """The grams every text containing the term must have (3-grams where possible)."""
    triples = {trigram(term[i:i + 3]) for i in range(len(term) - 2)}
    if None not in triples and triples:
        return triples
    return {bigram(term[i:i + 2]) for i in range(len(term) - 1)}


def _rarest(grams: set[int]) -> tuple[int, int]:
    """The gram with the fewest posts, and how many: the cheapest list to start from."""
    from renkei.board.models import PostGram

    counts = dict(PostGram.objects.filter(gram__in=grams).values("gram").annotate(n=Count("post_id"))
                  .values_list("gram", "n"))
    gram = min(grams, key=lambda g: counts.get(g, 0))
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

    Django's Paginator needs only count() and slicing; both run on the (gram, post) index, so a
    term found in half of 100,000 posts costs an index range, not a scan of the posts.
    """

    def __init__(self, term: str, related=("thread__category", "organization__prefecture")):
        from renkei.board.models import PostGram

        self.term = term
        self.related = related
        exact = _exact_gram(term)
        if exact is not None:
            self.ids = PostGram.objects.filter(gram=exact).values_list("post_id", flat=True)
            self.verify = False
        else:
            gram, _ = _rarest(_grams_of(term))
            self.ids = PostGram.objects.filter(gram=gram).values_list("post_id", flat=True)
            self.verify = True

    def _posts(self):
        from renkei.board.models import Post

        posts = Post.objects.filter(pk__in=self.ids)
        return posts.filter(search_text__contains=self.term) if self.verify else posts

    # A term longer than 3 characters is confirmed post by post; counting stops here, and the
    # page says "1,000件以上" rather than reading every match to give the exact number.
    COUNT_CAP = 1000

    @property
    def capped(self) -> bool:
        return self.verify and self.count() > self.COUNT_CAP

    def count(self) -> int:
        if not hasattr(self, "_count"):
            if self.verify:
                self._count = len(self._posts().values_list("pk", flat=True)[:self.COUNT_CAP + 1])
            else:
                self._count = self.ids.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        from renkei.board.models import Post

        if not isinstance(index, slice):
            return self[index:index + 1][0]
        if self.verify:
            return list(self._posts().select_related(*self.related).order_by("-id")[index])
        ids = list(self.ids.order_by("-post_id")[index])
        found = Post.objects.select_related(*self.related).in_bulk(ids)
        return [found[i] for i in ids if i in found]


def index(post) -> None:
    """Replace a post's grams with those of its current text."""
    from renkei.board.models import PostGram

    PostGram.objects.filter(post=post).delete()
    PostGram.objects.bulk_create([PostGram(gram=g, post=post) for g in grams(post.search_text)], batch_size=2000)


def snippet(text: str, query: str, width: int = 60) -> str:
    """HTML: the stretch of normalised text around the first match, matches in <mark>."""
    # Markup characters (**, >, #, `) are left out: the snippet shows the words, not the syntax.
    text = re.sub(r"[*_`#>]+", "", normalise(text)).replace("\n", " ")
    text = re.sub(r" {2,}", " ", text)
    words = terms(query)
    first = min((text.find(w) for w in words if w in text), default=0)
    start = max(0, first - width // 3)
    piece = text[start:start + width]
    out, i = [], 0
    while i < len(piece):
        hit = next((w for w in words if piece.startswith(w, i)), None)
        if hit:
            out.append(f"<mark>{html.escape(hit)}</mark>")
            i += len(hit)
        else:
            out.append(html.escape(piece[i]))
            i += 1
    return ("…" if start else "") + "".join(out) + ("…" if start + width < len(text) else "")
