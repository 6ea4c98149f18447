"""Every public page, opened in headless Chromium, passes axe-core's WCAG 2.0/2.1 A and AA rules.

Requests from the browser are answered by Django's test client inside the test's transaction,
so the pages show the loaded records without a live server.
"""

import json
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from renkei.core.tests.public_urls import public_route_names, urls_for
from renkei.core.tests.test_routes_by_persona import EXPECTED, PERSONAS, persona_client
from renkei.portal import accessibility

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ORIGIN = "http://testserver"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made while it
    # runs are still synchronous, so Django's guard against async use does not apply.
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps connections per context rather than per
        # thread: close the one the tests used before the test database is dropped.
        connections.close_all()


def serve_through_django(page, client, language: str, document_url: str, sizes=None, server=None) -> dict[str, int]:
    """Answer the page's requests with the test client; returns each URL's status.

    `sizes`, when given, collects the bytes of every response the page asked for. `server`, when
    given, answers the document instead of the client (see `AppServer`).

    The document is rendered here, in the test's own context and transaction. Playwright runs
    route handlers in a context of its own, where Django would open another database
    connection, so the handler only serves static files, which need none.
    """
    statuses = {}
    sizes = {} if sizes is None else sizes
    if server is not None:
        document = server.get(document_url, language)
    else:
        document = client.get(document_url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    sizes[ORIGIN + iri_to_uri(document_url)] = len(document.content)  # as the browser will ask for it
    rendered = {ORIGIN + iri_to_uri(document_url): document}  # as the browser will ask for it
    # Images the page shows (board thumbnails) are fetched here too, in the test's transaction.
    html = document.content.decode()
    assert "<script" not in html, f"{document_url}: pages work without JavaScript and ship none"
    assert "<style" not in html and not re.search(r'\sstyle="', html), f"{document_url}: an inline style the CSP refuses"
    sources = set(re.findall(r'<img[^>]+src="(/[^"]+)"', html))
    sources |= {url for srcset in re.findall(r'srcset="([^"]+)"', html) for url in re.findall(r"(/\S+) \d+w", srcset)}
    for source in sources:
        rendered[ORIGIN + source] = client.get(source)

    def handle(route):
        url = route.request.url
        if not url.startswith(ORIGIN):
            statuses[url] = 0  # nothing outside the site may load: the test fails on it
            route.abort()
            return
        response = rendered.get(url)
        if response is None:
            assert url.startswith(ORIGIN + "/static/"), f"unexpected request from the page: {url}"
            response = client.get(url[len(ORIGIN):])
        body = b"".join(response.streaming_content) if response.streaming else response.content
        statuses[url] = response.status_code
        sizes[url] = len(body)
        headers = {"content-type": response.get("Content-Type", "text/html")}
        for name in ("X-Renkei-Page", "Content-Security-Policy"):  # the browser enforces the policy
            if response.get(name):
                headers[name.lower()] = response[name]
        route.fulfill(status=response.status_code, body=body, headers=headers)

    page.route("**/*", handle)
    return statuses


class AppServer:
    """The document as the app server answers it (renkei/wsgi.py puts the light pages before
    Django), with Django's part played by the test client in the test's transaction."""

    def __init__(self, client):
        from renkei.portal.light_server import LightPages

        self.client = client
        self.application = LightPages(self._django)

    def _django(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        response = self.client.get(environ["PATH_INFO"] + (f"?{query}" if query else ""),
                                   HTTP_ACCEPT_LANGUAGE=environ.get("HTTP_ACCEPT_LANGUAGE", ""), follow=True)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [response.content]

    def get(self, url: str, language: str):
        from django.http import HttpResponse

        path, _, query = url.partition("?")
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
                   "SERVER_PORT": "80", "HTTP_ACCEPT_LANGUAGE": language, "wsgi.url_scheme": "http"}
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), headers

        body = b"".join(self.application(environ, start_response))
        response = HttpResponse(body, status=answer["status"])
        for name, value in answer["headers"]:
            response[name] = value
        return response


PAGE_BUDGET = 300 * 1024  # bytes on a first view, everything the page loads included
# What a first view may load, by kind (bytes as served, before compression); bench/README.md keeps
# the budgets with the heaviest page measured. Scripts and web fonts: none, ever.
BUDGETS = {"document": 120 * 1024, "stylesheet": 40 * 1024, "image": 240 * 1024, "script": 0, "font": 0,
           "other": 0, "requests": 16}
KINDS = [("stylesheet", re.compile(r"\.css$")), ("script", re.compile(r"\.m?js$")),
         ("font", re.compile(r"\.(woff2?|ttf|otf)$")),
         ("image", re.compile(r"\.(png|jpe?g|webp|gif|svg|ico|avif)$|/photos/|/thumbnail"))]


def weigh(document_url: str, sizes: dict[str, int]) -> dict[str, int]:
    """Bytes by kind of what a page loaded, and how many requests it made."""
    weight = dict.fromkeys(["document", "stylesheet", "image", "script", "font", "other"], 0)
    for url, size in sizes.items():
        path = url[len(ORIGIN):].split("?")[0]
        if url == ORIGIN + iri_to_uri(document_url):
            kind = "document"
        else:
            kind = next((name for name, pattern in KINDS if pattern.search(path)), "other")
        weight[kind] += size
    weight["requests"] = len(sizes)
    return weight
NOT_HTML = {"healthz", "portal:photo", "disasters:decision_pdf", "disasters:report_pdf", "newsletter:issue_pdf",
            "newsletter_editing:preview_pdf", "opendata:download", "opendata:catalog", "board:attachment",
            "board:thumbnail", "portal:events_ics", "portal:prefecture_events_ics", "portal:event_ics",
            "portal:news_feed", "portal:robots", "portal:sitemap", "portal:favicon"}


# What the run found, page by page; `make accessibility-report` publishes it on /accessibility/results/.
RESULTS: list[dict] = []


@pytest.fixture(scope="module", autouse=True)
def accessibility_report(browser):
    yield
    target = os.environ.get("ACCESSIBILITY_REPORT")
    if not target or not RESULTS:
        return
    report = {
        "tested_on": timezone.localdate().isoformat(),
        "engine": f"axe-core {RESULTS[0]['engine']}",
        "browser": f"Chromium {browser.version}",
        "rules": WCAG_TAGS,
        "widths": [1280, 390],
        "languages": ["ja", "en"],
        # Published: no record of the run's own, no token (accessibility.address)
        "pages": [{**{k: v for k, v in r.items() if k != "engine"}, "url": accessibility.address(r["url"])}
                  for r in RESULTS],
    }
    Path(target).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


AXE = Axe()
# Violations come back with every node; for the rules that pass or need review axe sends one node
# each (resultTypes): their counts are the same, and the answer is a fraction of the size.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def run_axe(page) -> AxeResults:
    """axe-core over the page as it stands, its script put in once per document."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    return AxeResults(page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})"))


@pytest.fixture(scope="module")
def tab(browser):
    """The tab every page is checked in: a page opened where one was keeps its renderer process,
    where a new tab would start one (most of a page's time)."""
    page = browser.new_page(viewport=DESKTOP)
    yield page
    page.close()


DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def check_page(tab, client, language: str, url: str, persona: str = "anonymous", server=None,
               budget: int = PAGE_BUDGET, screenshot: str = "") -> dict:
    """Open a page as the client sees it: it answers 200, loads only the site's own files, stays
    under the weight budget, and passes axe at desktop and phone widths. Returns what the page
    showed: its response headers, its text, and the bytes it loaded."""
    page = tab
    page.unroute_all()  # the last page's answers
    page.set_viewport_size(DESKTOP)
    refused = []  # what the Content-Security-Policy blocked, as Chromium reports it

    def console(message):
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", console)
    try:
        return _check_page(page, refused, client, language, url, persona, server, budget, screenshot)
    finally:
        page.remove_listener("console", console)


def _check_page(page, refused, client, language, url, persona, server, budget, screenshot) -> dict:
    sizes = {}
    statuses = serve_through_django(page, client, language, url, sizes, server)
    response = page.goto(ORIGIN + iri_to_uri(url))
    page.wait_for_load_state("load")
    assert response.status == 200, url
    seen = {"headers": response.headers, "text": page.inner_text("body"), "bytes": sum(sizes.values())}
    assert any("/static/css/" in u for u in statuses), "the stylesheet was not requested"
    assert set(statuses.values()) == {200}, statuses  # also: no request left the site
    assert sum(sizes.values()) < budget, f"{url}: {sum(sizes.values()):,} bytes {sizes}"
    weight = weigh(url, sizes)
    over = {kind: n for kind, n in weight.items() if n > BUDGETS[kind]}
    assert not over, f"{url} is over its budget: {over} (budgets {BUDGETS})"
    results = run_axe(page)
    page.set_viewport_size(PHONE)
    narrow = run_axe(page)
    # Nothing pushes a phone's page sideways: the document is no wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
        .slice(0, 3).map(e => e.tagName + '.' + e.className)""") if width > 390 else []
    # The footer never touches the page's last line, and the header leaves the phone's screen to the page.
    gap = page.evaluate("""() => {
        const footer = document.querySelector('footer').getBoundingClientRect().top;
        const bottoms = [...document.querySelector('main').children]
            .filter(e => getComputedStyle(e).position !== 'absolute').map(e => e.getBoundingClientRect().bottom);
        return footer - Math.max(...bottoms); }""")
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    title = page.title()
    if screenshot:
        page.screenshot(path=screenshot, full_page=True)
    RESULTS.append({
        "url": url, "route": resolve(url.split("?")[0]).view_name, "title": title, "persona": persona, "language": language,
        "violations": results.violations_count + narrow.violations_count,
        "passes": len(results.response["passes"]) + len(narrow.response["passes"]),
        "incomplete": len(results.response["incomplete"]) + len(narrow.response["incomplete"]),
        "engine": results.response["testEngine"]["version"], "weight": weight,
    })
    assert refused == [], f"{url}: {refused}"
    assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    assert narrow.violations_count == 0, f"{url} (390px)\n{narrow.generate_report()}"
    assert width <= 390, f"{url} is {width}px wide on a 390px phone: {wide}"
    assert gap >= 24, f"{url}: the footer is {gap:.0f}px under the page's last line on a phone"
    assert header <= 844 / 4, f"{url}: the header takes {header:.0f}px of an 844px phone screen"
    return seen


def html_pages() -> list[tuple[str, str]]:
    """Each HTML page with a persona who may see it (anonymous first, then the others)."""
    pages = []
    for name, statuses in EXPECTED.items():
        if name.startswith("api:") or name in NOT_HTML:
            continue
        codes = statuses.split("|")[0].split()  # the GET column
        if "200" in codes:
            pages.append((name, PERSONAS[codes.index("200")]))
    return sorted(pages)


def test_pages_are_discovered():
    pages = dict(html_pages())
    # Every public page but the ones that only redirect or take POST.
    not_pages = NOT_HTML | {"api:openapi-json", "accounts:sign_out", "accounts:password_reset_confirm", "language"}
    moved = {name for name in public_route_names() if name.startswith("moved_")}  # redirects
    assert set(public_route_names()) - not_pages - moved <= set(pages)
    assert pages["portal:home"] == "anonymous"
    assert pages["membership:home"] == "member"
    assert pages["secretariat:dashboard"] == "secretariat"


@pytest.mark.parametrize("name,persona", html_pages())
@pytest.mark.parametrize("language", ["ja", "en"])
def test_page_has_no_wcag_violations(tab, world, name, persona, language):
    from renkei.core.models import OutgoingEmail
    from renkei.membership.models import Application
    from renkei.replies.models import InboundMail

    Application.objects.create(local_government_id="012025", department="企画課", contact_name="函館 太郎",
                               phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp",
                               status="pending", unusual_domain=True)
    OutgoingEmail.objects.create(to="x@example.jp", subject="件名", body_text="本文", kind="test",
                                 status="failed", last_error="SMTPServerDisconnected")
    InboundMail.objects.create(message_id="<a11y@example.jp>", sender="bousai@city.minato.tokyo.jp",
                               recipient="reply+e1-2-abc-0123456789abcdef@reply.example.jp",
                               subject="Re: 【各区照会】保健師を派遣できますか", text="回答: はい\n人数: 2", raw=b"",
                               outcome="held", reason="送信元の認証（SPF/DMARC）に失敗したため、事務局が確認します。")
    client = persona_client(world, persona)
    for url in urls_for(name):
        check_page(tab, client, language, url, persona)


def test_the_harness_catches_a_violation(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="ja"><body><main><img src="data:,">'
        '<p style="color:#ccc">薄い文字</p></main></body></html>'
    )
    results = run_axe(page)
    page.close()
    rules = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "color-contrast"} <= rules


CONTENT_PAGES = {
    "/": "anonymous",
    "/search/?kind=profile": "anonymous",
    "/events/?view=calendar&month=2019-01": "anonymous",
    "/events/?view=calendar&month=2019-01&prefecture=02&kind=exhibition": "anonymous",
    "/search/?q=青森": "anonymous",
    "/local-governments/015814/": "anonymous",
    "/events/{event}/": "anonymous",
    "/news/{news}/": "anonymous",
    "/secretariat/events/{event}/": "secretariat",
    "/members/profile/": "member",
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_pages_with_photos_and_results_are_accessible_and_light(tab, world, language):
    """The pages as they look in use: a PR page and an event with several photos, a month with
    events, search results; each passes axe and stays under the weight budget."""
    from renkei.portal.tests.content import dress_the_portal

    news, event = dress_the_portal(world)
    for template, persona in CONTENT_PAGES.items():
        url = template.format(event=event.pk, news=news.pk)
        check_page(tab, persona_client(world, persona), language, url, persona)


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_labels_are_at_least_12px_on_a_phone_and_a_desktop(browser, client, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    serve_through_django(page, client, "ja", "/stats/")
    page.goto(ORIGIN + "/stats/")
    sizes = page.evaluate("""() => [...document.querySelectorAll('svg')].filter(svg => svg.getBoundingClientRect().width > 0)
        .flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t => [t.textContent, parseFloat(t.getAttribute('font-size')) * scale]);
        })""")
    page.close()
    assert len(sizes) >= 8, sizes  # the ticks and the years of the one chart shown
    small = [(label, round(size, 1)) for label, size in sizes if size < 12]
    assert small == []


LIGHT_BUDGET = 50 * 1024  # 災害モード: everything a light page loads


@pytest.mark.parametrize("language", ["ja", "en"])
def test_disaster_mode_pages_are_accessible_and_under_50_kb(browser, tab, world, language,
                                                           django_capture_on_commit_callbacks):
    """The light pages as the public gets them (opened here through the secretariat's preview of
    the same files), and a normal page with the note that points to them."""
    from renkei.portal import disaster_mode
    from renkei.testing import sample_disaster

    disaster = sample_disaster()
    with django_capture_on_commit_callbacks(execute=True):
        disaster_mode.set_mode(mode="on", actor=world.secretariat)
    client = persona_client(world, "secretariat")
    for path in ("index.html", "disasters/index.html", f"disasters/{disaster.pk}/index.html"):
        url = f"/secretariat/disaster-mode/preview/{language}/{path}"
        check_page(tab, client, language, url, "anonymous")
        page = browser.new_page()
        sizes = {}
        serve_through_django(page, client, language, url, sizes)
        page.goto(ORIGIN + url)
        page.wait_for_load_state("load")
        page.close()
        assert sum(sizes.values()) <= LIGHT_BUDGET, f"{url}: {sum(sizes.values()):,} bytes {sizes}"
    check_page(tab, persona_client(world, "anonymous"), language, "/events/")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_disaster_mode_switched_on_and_off_as_the_public_sees_it(browser, tab, world, language, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    """The secretariat switches 災害モード on: the public's home page is the light page (from the
    file, before Django), other pages carry the note that points to it; switched off, the full
    site is back at the next request. Every page passes axe at both widths in both modes."""
    from renkei.testing import sample_disaster

    settings.LIGHT_PAGES_ROOT = tmp_path / "light"
    disaster = sample_disaster()
    secretariat = persona_client(world, "secretariat")
    server = AppServer(persona_client(world, "anonymous"))
    shots = os.environ.get("SCREENSHOTS", "")

    def look(url: str, mode: str, budget: int = PAGE_BUDGET) -> dict:
        shot = f"{shots}/mode-{mode}-{language}-{url.strip('/').replace('/', '-') or 'home'}.png" if shots else ""
        return check_page(tab, server.client, language, url, server=server, budget=budget, screenshot=shot)

    def switch(mode: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat.post("/secretariat/disaster-mode/", {"mode": mode})
        assert response.status_code == 302, response.content.decode()[:500]

    home = look("/", "off")
    assert home["headers"].get("x-renkei-page") is None
    assert "light-note" not in server.get("/events/", language).content.decode()

    switch("on")
    for url in ("/", "/disasters/", f"/disasters/{disaster.pk}/"):
        light = look(url, "on", budget=LIGHT_BUDGET)
        assert light["headers"].get("x-renkei-page") == "light", url
        assert disaster.name in light["text"], url
    note = look("/events/", "on")
    expected = "災害時用の軽量版のページがあります。" if language == "ja" else "Light pages for disasters are available:"
    assert expected in note["text"]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    serve_through_django(page, server.client, language, "/events/", server=server)
    page.goto(ORIGIN + "/events/")
    links = page.eval_on_selector_all(".light-note a", "links => links.map(a => a.getAttribute('href'))")
    page.close()
    assert links == ["/", "/disasters/"]

    switch("off")
    home = look("/", "off-again")
    assert home["headers"].get("x-renkei-page") is None
    assert "light-note" not in server.get("/events/", language).content.decode()
