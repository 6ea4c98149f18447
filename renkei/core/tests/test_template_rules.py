"""Rules every template keeps, read from the templates themselves."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def templates():
    return [p for p in [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("renkei").rglob("*.html")]]


def test_every_cell_of_a_stacked_table_names_its_column():
    """At 390 px a data-table--stack shows each row as a card: a cell without data-label is a bare
    number nobody can read (職種別 on a 第N報 showed 「3」「0」)."""
    unlabelled = []
    for path in templates():
        for table in re.findall(r"<table\b.*?</table>", path.read_text(), re.S):
            if "data-table--stack" not in table.split(">", 1)[0]:
                continue
            unlabelled += [f"{path.relative_to(ROOT)}: {cell}" for cell, rest in re.findall(r"(<td\b[^>]*>)(.{0,5})", table, re.S)
                           if "data-label" not in cell and "colspan" not in cell and not rest.startswith("</td>")]
    assert unlabelled == []


def test_numbered_reports_stack_on_a_phone():
    report = ROOT / "renkei/disasters/templates/disasters/report.html"
    assert report.read_text().count('<table class="data-table data-table--stack">') == 2


@pytest.mark.django_db
def test_the_site_name_breaks_between_its_words_on_a_phone(client):
    """「特別区全国連携プロジェ／クト」 on a 390 px phone: the name offers breaks between its words
    only (<wbr>, with CSS keep-all), so it wraps as 特別区全国連携／プロジェクト."""
    from pathlib import Path

    from django.conf import settings

    page = client.get("/").content.decode()
    assert '<span class="site-title__main">特別区<wbr>全国連携<wbr>プロジェクト</span>' in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "renkei.css").read_text(encoding="utf-8")
    assert "word-break: keep-all" in css.split(".site-title__main {", 1)[1].split("}", 1)[0]
