"""The English catalogue is complete and compiled: every message has a translation, and the
compiled .mo gives the same one (a .po edited without compilemessages fails here)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def entries() -> list[dict]:
    """msgctxt, msgid, msgstr and flags of each entry (plural entries give their first form)."""
    found = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": ""}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = line
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d\]) (".*")$', line):
                key = match[1].replace("[0]", "")
                entry.setdefault(key, []).append(match[2])
            elif line.startswith('"') and key:
                entry[key].append(line)
        if "msgid" in entry:
            found.append({k: _string(v) if isinstance(v, list) else v for k, v in entry.items()})
    return [e for e in found if e["msgid"]]


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = [e["msgid"] for e in entries() if not e.get("msgstr") or "fuzzy" in e["flags"]]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    stale = []
    with translation.override("en"):
        for e in entries():
            if "msgid_plural" in e:
                continue
            got = translation.pgettext(e["msgctxt"], e["msgid"]) if "msgctxt" in e else translation.gettext(e["msgid"])
            if got != e["msgstr"]:
                stale.append(e["msgid"])
    assert stale == [], "run manage.py compilemessages"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/sign-in/", "/join/apply/", "/join/apply/?q=あつま", "/join/apply/015814/",
                                 "/opendata/"])
def test_the_sign_in_application_and_open_data_pages_speak_english(client, url):
    """Interface text is translated; only what is marked as Japanese content (names) stays."""
    import re

    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    main = re.sub(r'<(\w+)[^>]*lang="ja"[^>]*>.*?</\1>', "", main, flags=re.S)
    words = re.sub(r"<[^>]+>", " ", main)
    assert re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]+", words) == []


@pytest.mark.django_db
def test_the_english_statistics_name_fiscal_years_fy_and_errata_mark_the_printed_words_japanese(client):
    import re

    client.cookies["django_language"] = "en"
    stats = client.get("/stats/").content.decode()
    assert "<title>FY2015 " in stats and not re.search(r"平成\d+年度", re.search(r"<main.*?</main>", stats, re.S).group(0))
    disasters = client.get("/disasters/").content.decode()
    assert ('<span lang="ja">特別区が連携して対応した災害支援の状況</span> printed the <span lang="ja">発災時期</span> '
            'as “<span lang="ja">平成30年10月21日</span>”.') in disasters
