"""Character grams of Japanese text: what the board's and the portal's searches index.

Text is normalised (NFKC, case-folded) and cut into its 1-, 2- and 3-character grams, each an
integer. A text contains a term of up to 3 characters exactly when it has that term's gram, so
1- and 2-character queries (「区」, 「観光」) are exact without a tokenizer; a longer term is
narrowed by one of its 3-grams and confirmed as a substring.
"""

import html
import re

from renkei.core.text import COMPARED, fold

BIGRAM_FLAG = 1 << 42
TRIGRAM_FLAG = 1 << 61  # three BMP characters of 16 bits each; others fall back to 2-grams


def normalise(text: str) -> str:
    """What is indexed and what is searched (core.text.fold): NFKC (全角英数→半角, 半角カナ→全角),
    case-folded, variant characters in their common form (檮原 finds 梼原町, 鯵ヶ沢 鰺ヶ沢町), and
    the spellings names use both ways compared as one (袖ヶ浦 finds 袖ケ浦市): core/data/variants.toml.
    When that table changes, a migration calls core.search.refold() for the documents kept."""
    return fold(text).translate(COMPARED)


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


def exact_gram(term: str) -> int | None:
    """The one gram that decides a term of up to 3 characters, or None."""
    if len(term) == 1:
        return unigram(term)
    if len(term) == 2:
        return bigram(term)
    if len(term) == 3:
        return trigram(term)
    return None


def grams_of(term: str) -> set[int]:
    """The grams every text containing the term must have (3-grams where possible)."""
    triples = {trigram(term[i:i + 3]) for i in range(len(term) - 2)}
    if None not in triples and triples:
        return triples
    return {bigram(term[i:i + 2]) for i in range(len(term) - 1)}


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
