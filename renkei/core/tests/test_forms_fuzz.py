"""Every form in the URL conf, sent hypothesis-generated values by the persona who may use it:
never a server error. Fields come from the form as the page shows it (inputs, selects, text areas,
files); values are anything a person or a robot might send — empty, very long, control
characters, full-width digits, other scripts, impossible dates, the select's own options, random
bytes as files. Each submission is rolled back. The suite sends FORM_FUZZ_EXAMPLES (3) per form;
`make fuzz` sends up to 500 per form (over 10,000 in all; hypothesis stops early on a form with little to vary)."""

import os
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.core.tests.public_urls import urls_for
from renkei.core.tests.test_routes_by_persona import PERSONAS, expected, persona_client, route_names

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "3"))
NOT_A_FORM = {302, 403, 404, 405}


# Pages whose forms post to other routes (a thread's reply and follow forms).
PAGES_WITH_OTHERS_FORMS = {"board:thread"}


def form_routes() -> list[tuple[str, str]]:
    """(route, persona): each page with a form some persona may send, with the first persona who may."""
    routes = []
    for name in route_names():
        if name.startswith("api:"):
            continue  # the API has its own fuzzing (renkei/api/tests/test_fuzz.py)
        for persona in reversed(PERSONAS):  # the secretariat first: it reaches every form
            posts = expected(name, "POST", persona) not in NOT_A_FORM or name in PAGES_WITH_OTHERS_FORMS
            if expected(name, "GET", persona) == 200 and posts:
                routes.append((name, persona))
                break
    return routes


FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


def forms_of(page: str, url: str) -> dict[str, dict[str, dict]]:
    """The page's POST forms: where each is sent → its fields (name → {type, options})."""
    forms = {}
    for tag, form in re.findall(r'(<form\b[^>]*method="post"[^>]*>)(.*?)</form>', page, flags=re.S | re.I):
        action = unescape(dict(ATTRIBUTE.findall(tag)).get("action", "")) or url
        fields = forms.setdefault(action, {})
        for match in FIELD.finditer(form):
            attributes = dict(ATTRIBUTE.findall(match.group(2)))
            name = attributes.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            kind = attributes.get("type", match.group(1).lower())
            entry = fields.setdefault(name, {"type": kind, "options": []})
            if kind in ("radio", "checkbox") and "value" in attributes:
                entry["options"].append(unescape(attributes["value"]))
            if match.group(1).lower() == "select":
                tail = form[match.end():form.find("</select>", match.end())]
                entry["options"] += [unescape(v) for v in re.findall(r'<option[^>]*value="([^"]*)"', tail)]
    return forms


TEXT = st.one_of(
    st.just(""), st.text(max_size=40), st.text(min_size=200, max_size=400),
    st.sampled_from(["１２３", "２０２６-１３-４０", "令和99年2月30日", "0", "-1", "99999999999999999999", "NaN",
                     "<script>alert(1)</script>", "' OR 1=1 --", "\x00\x07", "ａ" * 5000, "𠮷野家", "131016",
                     "2018-02-30", "https://example.jp/", "javascript:alert(1)", "a@b", "x" * 300]))


def value_for(field: dict):
    if field["type"] == "file":
        return st.binary(max_size=2048).map(lambda data: SimpleUploadedFile("ファイル.bin", data))
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), TEXT)
    return TEXT


@pytest.mark.django_db
@pytest.mark.parametrize("name,persona", form_routes())
def test_no_submission_to_any_form_is_a_server_error(world, name, persona):
    url = urls_for(name)[0]
    client = persona_client(world, persona)
    forms = forms_of(client.get(url).content.decode(), url)
    seen = []
    for action, fields in forms.items():
        fuzz(client, action, fields, seen)
    assert seen and max(seen) < 500, forms
    if os.environ.get("FUZZ_REPORT"):  # make fuzz counts the submissions
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as report:
            report.write(f"{name}\t{len(forms)}\t{len(seen)}\n")


def fuzz(client, action: str, fields: dict, seen: list) -> None:
    strategy = st.fixed_dictionaries({}, optional={key: value_for(field) for key, field in fields.items()})

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=strategy)
    def submit(data):
        try:
            with transaction.atomic():
                response = client.post(action, data)
                seen.append(response.status_code)
                raise _RolledBack
        except _RolledBack:
            pass
        assert response.status_code < 500, (action, data)

    submit()


class _RolledBack(Exception):
    pass


def test_the_fuzzer_reaches_every_form():
    names = {name for name, _persona in form_routes()}
    assert {"portal:contact", "board:new_thread", "board:thread", "accounts:password_reset",
            "secretariat:news_edit"} <= names
    assert len(names) >= 40, sorted(names)
