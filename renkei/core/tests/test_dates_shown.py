"""Dates are shown as Japanese readers expect them (和暦, with the weekday where a day matters)
on every page, the member site and the back office included; ISO stays in the API and open data."""

import re

import pytest

from renkei.core.tests.public_urls import urls_for
from renkei.core.tests.test_accessibility import html_pages
from renkei.core.tests.test_routes_by_persona import persona_client

pytestmark = pytest.mark.django_db

ISO = re.compile(r"(?<![\d-])(19|20)\d\d-\d\d-\d\d(?![\d-])")
# Where ISO is right: what a field expects as an example, a value being edited, machine text.
NOT_SHOWN = re.compile(
    r'<(script|style|textarea|code|pre)\b.*?</\1>|<p class="field__help".*?</p>|<[^>]+>', re.S)
# Pages whose subject is data for machines.
MACHINE_PAGES = {"opendata:index"}


def shown_text(html: str) -> str:
    return NOT_SHOWN.sub(" ", html)


def test_the_filter_that_finds_iso_dates_sees_them_in_text_only():
    assert ISO.search(shown_text("<td>2026-12-02 14:30</td>"))
    assert not ISO.search(shown_text('<input value="2026-12-02"><time datetime="2026-12-02">令和8年</time>'))
    assert not ISO.search(shown_text('<p class="field__help">例: 2018-10-01</p>'))


def test_no_page_shows_an_iso_date_to_a_person(world):
    from renkei.testing import sample_disaster

    sample_disaster()  # dispatches, enquiries, decisions: the back office's most date-heavy pages
    found = []
    for name, persona in html_pages():
        if name in MACHINE_PAGES:
            continue
        client = persona_client(world, persona)
        for url in urls_for(name):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            match = ISO.search(shown_text(response.content.decode()))
            if match:
                text = shown_text(response.content.decode())
                found.append(f"{url} ({persona}): …{text[max(0, match.start() - 40):match.end() + 10]!r}")
    assert found == []
