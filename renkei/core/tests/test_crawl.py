"""Every page a persona can reach by following links, with the shipped records loaded (vol.1's
disasters, figures and agreements, 1,788 local governments): none answers 5xx.

From the persona's start pages, every same-site link is followed (a few addresses per route, so
the walk stays short; every public disaster's pages and the API's operations for every record
in full, because a server error there came from one record, not from the route).
"""

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from renkei.core.tests.test_routes_by_persona import persona_client

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "member", "ward", "secretariat")
START = {
    "anonymous": ["/", "/sitemap/", "/opendata/", "/newsletter/", "/disasters/", "/stats/", "/relations/"],
    "member": ["/members/", "/board/", "/members/disasters/"],
    "ward": ["/members/", "/board/", "/members/disasters/"],
    "secretariat": ["/secretariat/"],
}
PER_ROUTE = 4
# Every record, not a few: pages drawn from one record each.
IN_FULL = {"disasters:detail", "disasters:report", "disasters:report_pdf", "newsletter:issue"}
LEFT_ALONE = ("/accounts/sign-out/", "/static/", "/admin/", "/language/", "/i18n/")
LINK = re.compile(r'\shref="([^"#]+)')


def _api_urls() -> list[str]:
    from renkei.disasters.models import Disaster

    urls = ["/api/v1/disasters", "/api/v1/stats", "/api/v1/stats?as_of=2016-04-26", "/api/v1/agreements",
            "/api/v1/relations", "/api/v1/partnerships", "/api/v1/local-governments/131016"]
    for pk in Disaster.objects.values_list("pk", flat=True):
        urls += [f"/api/v1/disasters/{pk}/dispatch", f"/api/v1/disasters/{pk}/funds",
                 f"/api/v1/disasters/{pk}/dispatch?as_of=2011-03-31"]
    return urls


def crawl(client: Client, start: list[str], pages: dict[str, bytes] | None = None) -> tuple[list[str], int]:
    """The addresses that answered 5xx, and how many were requested; `pages`, when given, collects
    each HTML page that answered 200 by its address."""
    seen, per_route, failures = set(), Counter(), []
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        if pages is not None and response.status_code == 200:
            pages[url] = response.content
        for href in LINK.findall(response.content.decode()):
            link = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc or link.startswith(LEFT_ALONE) or link in seen:
                continue
            try:
                route = resolve(parts.path).view_name
            except Resolver404:
                continue  # a 404 is what a stale link gets; the crawl looks for server errors
            if route in IN_FULL or per_route[route] < PER_ROUTE:
                per_route[route] += 1
                queue.append(link)
    return failures, len(seen)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_a_persona_reaches_answers_a_server_error(world, persona):
    client = persona_client(world, persona)
    client.raise_request_exception = False  # every failure listed, not only the first
    start = START[persona] + (_api_urls() if persona == "anonymous" else [])
    failures, requested = crawl(client, start)
    assert requested > 60  # the walk went somewhere
    assert failures == []
