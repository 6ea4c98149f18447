"""vol.1 reads as it was printed: every sentence of the print, compared one by one with the
newsletter's text (`../shared/seed`, kept in the repository as data/sources/), is in the rebuilt
PDF and page, errata applied; nothing is printed twice; nothing is added that the print lacks."""

import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from renkei.newsletter.models import Issue
from renkei.testing import pdf_text

pytestmark = pytest.mark.django_db

PRINT = Path(settings.BASE_DIR) / "data" / "sources" / "zenkoku-renkei-news-vol1.txt"
# The print's section tabs, which the rebuilt issue gives as its sections' headings.
TABS = ("EVENT <", "NEWS <", "DATA <")
# Marks of layout, not of words: spaces, brackets, quotes, list marks, the print's ~ and |.
LAYOUT = re.compile(r"[\s\*「」『』()（）\[\]［］<>＜＞、,・!！?？:：~～\-–—|｜#●☎※→/／]")


def flat(text: str) -> str:
    return LAYOUT.sub("", unicodedata.normalize("NFKC", text))


def printed_phrases(errata: list[dict]) -> list[str]:
    """The print's text phrase by phrase: each line, cut at 。, table cells and spaces (which
    separate a heading from its kicker, or a table's cells), with the errata applied."""
    text = PRINT.read_text(encoding="utf-8")
    for erratum in errata:
        text = text.replace(erratum["printed"], erratum["corrected"])
    for tab in TABS:
        text = text.replace(tab, "")
    phrases = []
    for line in text.splitlines():
        for phrase in re.split(r"(?<=。)|\s+", line):
            if flat(phrase):
                phrases.append(phrase.strip())
    return phrases


def tagged_text(path: Path) -> str:
    """The PDF's text in the order of its structure tree (what a screen reader follows), not in
    the order of the page's layout: each tagged element's marked content, depth first."""
    import pdfplumber
    from pdfplumber.structure import PDFStructTree

    with pdfplumber.open(path) as pdf:
        chars: dict[tuple[int, int], list[str]] = {}
        for page in pdf.pages:
            for char in page.chars:
                if char.get("mcid") is not None:
                    chars.setdefault((page.page_number, char["mcid"]), []).append(char["text"])
        order: list[tuple[int, int]] = []

        def first(element) -> tuple[int, int]:
            own = [(element.page_number, mcid) for mcid in element.mcids or []]
            return min(own + [first(child) for child in element.children], default=(10**9, 0))

        def walk(element):
            # An element's own content and its children's, as they interleave in the page's content
            own = [((element.page_number, mcid), None) for mcid in element.mcids or []]
            for key, child in sorted(own + [(first(c), c) for c in element.children], key=lambda pair: pair[0]):
                if child is None:
                    order.append(key)
                else:
                    walk(child)

        for element in PDFStructTree(pdf):
            walk(element)
    assert len(order) == len(chars)  # every piece of text is tagged, once
    return "".join("".join(chars.get(key, [])) for key in order)


@pytest.fixture(scope="module")
def vol1(django_db_setup, django_db_blocker, tmp_path_factory):
    out = tmp_path_factory.mktemp("vol1")
    with django_db_blocker.unblock():
        call_command("newsletter", "build", "--volume", "1", "--out", str(out / "vol1.pdf"),
                     "--html", str(out / "vol1.html"))
        issue = Issue.objects.get(volume=1)
        errata, sections = issue.snapshot["errata"], issue.snapshot["sections"]
    return {"pdf": pdf_text((out / "vol1.pdf").read_bytes()), "tagged": tagged_text(out / "vol1.pdf"),
            "html": re.sub(r"<[^>]+>", "", (out / "vol1.html").read_text(encoding="utf-8")),
            "errata": errata, "sections": sections}


def test_the_print_is_the_shared_seed_unchanged():
    seed = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_004e9333152485e8.txt"
    if seed.exists():  # beside the project on a developer's machine; CI has the copy only
        assert seed.read_bytes() == PRINT.read_bytes()


@pytest.mark.parametrize("output", ["pdf", "tagged", "html"])
def test_every_printed_sentence_is_in_vol1(vol1, output):
    said = flat(vol1[output])
    phrases = printed_phrases(vol1["errata"])
    assert len(phrases) > 200
    assert [phrase for phrase in phrases if flat(phrase) not in said] == []


def test_the_errata_are_applied_and_listed(vol1):
    fixed = {(e["printed"], e["corrected"]) for e in vol1["errata"]}
    assert fixed == {("京都市市長会", "京都府市長会"), ("平成30年10月21日", "平成29年10月21日")}
    for printed, corrected in fixed:
        assert flat(f"「{printed}」は「{corrected}」の誤りでした") in flat(vol1["pdf"])


def test_no_printed_sentence_is_printed_twice(vol1):
    """As often as the print has it: once, or twice for the two addresses it gives twice."""
    said, printed = flat(vol1["pdf"]), flat(" ".join(printed_phrases(vol1["errata"])))
    sentences = {flat(p) for p in printed_phrases(vol1["errata"]) if len(flat(p)) >= 20}
    assert len(sentences) > 40
    assert [s for s in sentences if said.count(s) != printed.count(s)] == []


def test_nothing_the_print_lacks(vol1):
    issue = Issue.objects.get(volume=1)
    assert issue.period_end <= issue.issued_on  # a period never ends after the issue is out
    for output in ("pdf", "html"):
        said = vol1[output]
        assert "8時30分" not in said and "17時15分" not in said  # no inquiry hours: the print gives none
        assert "平成31年3月31日" not in said and "平成30年4月1日～" not in said  # nor a period
        assert "第一生命保険株式会社との包括連携協定" not in said  # the story is told once, as news


def test_the_tagged_reading_order_follows_the_articles(vol1):
    """A screen reader follows the structure tree: the sections in the issue's order, and each
    article's text whole and in order, although the two-column layout interleaves it on the page."""
    tagged = flat(vol1["tagged"])
    (news,) = [s for s in vol1["sections"] if s["kind"] == "news"]
    article = news["items"][0]
    assert flat(article["title"] + article["when"] + article["text"]) in tagged
    position = 0
    for section in (s for s in vol1["sections"] if s["included"]):  # each heading after the one before
        position = tagged.find(flat(section["heading"]), position)
        assert position != -1, section["heading"]
    for section in vol1["sections"]:
        for text in (section.get("lead"), section.get("closing")):
            if text:
                assert flat(text) in tagged
