"""Every page a persona reaches, in Japanese and in English, is valid HTML to the Nu HTML Checker
(vnu.jar, the W3C's validator), run on the files the crawl collected: 0 errors."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from renkei.core.tests.test_crawl import PERSONAS, START, crawl
from renkei.core.tests.test_routes_by_persona import persona_client

pytestmark = [pytest.mark.django_db, pytest.mark.once]

VNU = Path(os.environ.get("VNU_JAR", Path(settings.BASE_DIR) / "var" / "tools" / "node_modules" / "vnu-jar" / "build"
                          / "dist" / "vnu.jar"))


def validate(folder: Path) -> list[dict]:
    """The Nu checker's errors over every .html file in the folder."""
    java = shutil.which("java")
    assert java and VNU.exists(), "the Nu HTML Checker is missing: make validator (Java from Debian, vnu-jar from npm)"
    result = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",  # noqa: S603
                             str(folder)], capture_output=True, text=True, check=False)
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def test_every_crawled_page_is_valid_html_in_both_languages(world, tmp_path):
    from renkei.testing import sample_disaster, sample_thread

    sample_thread()  # a board thread with posts, and a disaster with one of each record
    sample_disaster()
    pages: dict[str, bytes] = {}
    for persona in PERSONAS:
        for language in ("ja", "en"):
            client = persona_client(world, persona)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            crawl(client, START[persona], pages=(found := {}))
            pages.update({f"{persona}-{language}{url}": body for url, body in found.items()})
    for number, (_, body) in enumerate(sorted(pages.items())):
        (tmp_path / f"{number:04d}.html").write_bytes(body)
    names = {f"{number:04d}.html": name for number, name in enumerate(sorted(pages))}
    errors = [f"{names[Path(m['url']).name]}:{m.get('lastLine')}: {m['message']}" for m in validate(tmp_path)]
    assert len(pages) > 300
    assert errors == [], "\n".join(errors)
