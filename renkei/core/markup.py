"""Light markup for text people type in plain forms: Markdown without raw HTML, sanitised.

Editors write paragraphs, 「- 」 lists, 「## 」 headings, **bold** and bare URLs; what reaches the
page is rebuilt by markdown-it with HTML off and then cleaned by nh3, so a pasted <script> or a
javascript: link shows as text or disappears.
"""

import nh3
from markdown_it import MarkdownIt

_OPTIONS = {"html": False, "linkify": True, "typographer": False}
_markdown = MarkdownIt("commonmark", _OPTIONS).enable("linkify").disable("image")
# A line break typed is a line break shown (markdown-it's `breaks`), as people who do not know Markdown expect.
_markdown_breaks = MarkdownIt("commonmark", {**_OPTIONS, "breaks": True}).enable("linkify").disable("image")
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "hr"}


def render(body: str, *, breaks: bool = False) -> str:
    """Markdown to safe HTML. Headings stay below the page's own (h1/h2 become h3).

    With `breaks`, single line breaks are kept, as people who do not know Markdown expect.
    """
    html = (_markdown_breaks if breaks else _markdown).render(body or "")
    for level in ("h1", "h2"):
        html = html.replace(f"<{level}>", "<h3>").replace(f"</{level}>", "</h3>")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"},
                     link_rel="nofollow noopener noreferrer")
