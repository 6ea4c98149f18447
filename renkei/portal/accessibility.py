"""The results of the last accessibility run, as the accessibility pages publish them.

`make accessibility-report` runs the browser suite (axe-core in Chromium, every page at 1280 and
390 px, in Japanese and English) and writes data/accessibility.json; this module reads it.
"""

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_date

RESULTS = Path(__file__).resolve().parent / "data" / "accessibility.json"


def address(url: str) -> str:
    """The address a result is published under: as tested where the route takes no parameter
    (/news/, /events/?view=calendar…), else the route's pattern (/disasters/<pk>/), so the page
    names no record of the test run's and no token (an invitation's carries its address)."""
    path = urlsplit(url).path
    try:
        route = resolve(path).route
    except Resolver404:
        return url
    if "<" not in route:
        return url
    return "/" + re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", route)


def linkable(url: str) -> bool:
    return "<" not in url


def _by_page(runs: list[dict]) -> list[dict]:
    """One row per screen: its two languages and two widths added together."""
    pages: dict[str, dict] = {}
    for run in runs:
        url = address(run["url"])
        page = pages.setdefault(url, {
            "url": url, "link": linkable(url), "route": run["route"], "persona": run["persona"],
            "title": run["title"].split(" | ")[0], "passes": 0, "violations": 0, "incomplete": 0,
        })
        if run["language"] == "ja":  # the Japanese title names the screen
            page["title"] = run["title"].split(" | ")[0]
        for key in ("passes", "violations", "incomplete"):
            page[key] += run[key]
    return sorted(pages.values(), key=lambda p: p["url"])


@cache
def report() -> dict:
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    pages = _by_page(data["pages"])
    return {
        **data,
        "tested_on": parse_date(data["tested_on"]),
        "pages": pages,
        "routes": {p["route"] for p in pages},
        "public_pages": [p for p in pages if p["persona"] == "anonymous"],
        "member_pages": [p for p in pages if p["persona"] != "anonymous"],
        "page_count": len(pages),
        "violations": sum(p["violations"] for p in pages),
        "checks": sum(p["passes"] for p in pages),
    }
