"""Japanese full-text search over board posts that returns exactly what a substring match would.

Every post's normalised text (title, body, attachment names) is indexed as the set of its
1-character and 2-character grams, stored as integers. A 1- or 2-character query is one index
lookup and is exact: a text contains 「観」 or 「観光」 exactly when it has that gram. A longer
query takes the posts having all of its 2-character grams, then confirms the substring on those
candidates alone. Neither SQLite's FTS5 trigram tokenizer (blind under 3 characters) nor pg_trgm
(blind to Japanese under a C ctype) is needed, and both databases behave the same.
"""

import html
import unicodedata

from django.db.models import Count, QuerySet

BIGRAM_FLAG = 1 << 42


def normalise(text: str) -> str:
    """NFKC (全角英数→半角, 半角カナ→全角) and case-folded: what is indexed and what is searched."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def unigram(char: str) -> int:
    return ord(char)


def bigram(pair: str) -> int:
    return BIGRAM_FLAG | (ord(pair[0]) << 21) | ord(pair[1])


def grams(text: str) -> set[int]:
    text = normalise(text)
    found = {unigram(c) for c in text if not c.isspace()}
    found |= {bigram(text[i:i + 2]) for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())}
    return found


def terms(query: str) -> list[str]:
    """The query's words (split on spaces), normalised, each searched for as a substring."""
    return [t for t in normalise(query).split() if t][:5]


def matching(posts: QuerySet, query: str) -> QuerySet:
    """The posts whose text contains every term of the query, as `str.__contains__` would say."""
    from renkei.board.models import PostGram

    for term in terms(query):
        if len(term) == 1:
            posts = posts.filter(pk__in=PostGram.objects.filter(gram=unigram(term)).values("post_id"))
        elif len(term) == 2:
            posts = posts.filter(pk__in=PostGram.objects.filter(gram=bigram(term)).values("post_id"))
        else:
            needed = {bigram(term[i:i + 2]) for i in range(len(term) - 1)}
            candidates = (PostGram.objects.filter(gram__in=needed).values("post_id")
                          .annotate(n=Count("gram")).filter(n=len(needed)).values("post_id"))
            posts = posts.filter(pk__in=candidates, search_text__contains=term)
    return posts


def index(post) -> None:
    """Replace a post's grams with those of its current text."""
    from renkei.board.models import PostGram

    PostGram.objects.filter(post=post).delete()
    PostGram.objects.bulk_create([PostGram(gram=g, post=post) for g in grams(post.search_text)], batch_size=2000)


def snippet(text: str, query: str, width: int = 60) -> str:
    """HTML: the stretch of normalised text around the first match, matches in <mark>."""
    text = normalise(text).replace("\n", " ")
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
