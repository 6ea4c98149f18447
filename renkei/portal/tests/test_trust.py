"""The pages a visitor looks for before trusting a public site, and the notices on its forms."""

import re

import pytest
from django.urls import reverse

from renkei.core.tests.public_urls import own_routes, public_route_names, urls_for
from renkei.core.tests.test_accessibility import NOT_HTML, html_pages
from renkei.core.tests.test_routes_by_persona import persona_client
from renkei.portal import accessibility
from renkei.testing import text

pytestmark = pytest.mark.django_db

TRUST_PAGES = ["/privacy/", "/terms/", "/accessibility/", "/accessibility/results/", "/sitemap/"]


def test_every_page_links_to_the_trust_pages_in_its_footer(client):
    html = client.get("/stats/").content.decode()
    footer = html[html.index('<footer class="site-footer">'):]
    for url in TRUST_PAGES[:3] + ["/sitemap/"]:
        assert f'href="{url}"' in footer, url


def test_the_privacy_policy_states_the_retention_the_settings_apply(client, settings):
    settings.INQUIRY_RETENTION_DAYS = 180
    settings.SESSION_COOKIE_AGE = 3 * 3600
    page = text(client.get("/privacy/"))
    assert "回答を終えてから180日後に削除します" in page
    assert "受け付けから30日後に削除します" in page  # held inquiries (inquiries.services.HELD_DAYS)
    assert "3時間操作がないと終了します" in page
    for collected in ("お問い合わせフォーム", "会員登録の申請", "会員の職員アカウント", "掲示板への投稿"):
        assert collected in page
    assert "03-5210-9910" in page  # where to ask for disclosure or deletion


def test_the_terms_of_use_cover_copyright_links_and_disclaimer(client):
    page = text(client.get("/terms/"))
    for heading in ("著作権", "リンク", "免責事項", "会員サイトと掲示板"):
        assert heading in page
    assert f'<a href="{reverse("opendata:index")}">オープンデータ</a>' in client.get("/terms/").content.decode()


def test_the_accessibility_policy_publishes_the_last_axe_run(client):
    report = accessibility.report()
    page = text(client.get("/accessibility/"))
    assert "JIS X 8341-3:2016" in page and "適合レベルAA" in page
    assert report["engine"] in page and report["browser"] in page
    assert f"{report['page_count']}の画面" in page
    assert f"違反は{report['violations']}件" in page
    results = text(client.get("/accessibility/results/"))
    assert "/stats/" in results and "/privacy/" in results


def test_the_published_results_cover_every_page_of_the_site():
    # A page added since the last `make accessibility-report` is missing here: run it again.
    tested = accessibility.report()["routes"]
    assert {name for name, _persona in html_pages()} <= tested
    assert accessibility.report()["violations"] == 0


def test_the_results_file_is_read_page_by_page():
    pages = accessibility._by_page([
        {"url": "/a/", "route": "x", "persona": "anonymous", "language": "en", "title": "A | Site",
         "passes": 10, "violations": 0, "incomplete": 1},
        {"url": "/a/", "route": "x", "persona": "anonymous", "language": "ja", "title": "あ | サイト",
         "passes": 12, "violations": 1, "incomplete": 0},
    ])
    assert pages == [{"url": "/a/", "link": True, "route": "x", "persona": "anonymous", "title": "あ",
                      "passes": 22, "violations": 1, "incomplete": 1}]


def test_the_published_results_name_no_record_or_token_of_the_run_and_every_link_answers(client):
    """A page tested with a record of the run (an invitation, whose token carries an address; a
    disaster of the test's) is published under its route's pattern, unlinked; every link answers
    on the site with its shipped records."""
    assert accessibility.address("/invitations/eyJwayI6MX0:1xZ4Aa:08ts/") == "/invitations/<token>/"
    assert accessibility.address("/disasters/14/reports/1/") == "/disasters/<pk>/reports/<number>/"
    assert accessibility.address("/events/?view=calendar&month=2019-01") == "/events/?view=calendar&month=2019-01"
    stored = accessibility.RESULTS.read_text(encoding="utf-8")
    assert "eyJ" not in stored and "/invitations/<token>/" in stored
    html = client.get("/accessibility/results/").content.decode()
    links = set(re.findall(r'<th scope="row"><a href="([^"]+)"', html))
    assert len(links) > 20
    assert [link for link in links if client.get(link.replace("&amp;", "&")).status_code != 200] == []
    assert "/disasters/&lt;pk&gt;/" in html and 'href="/disasters/&lt;pk&gt;/"' not in html


def test_the_sitemap_links_every_public_page_without_parameters(client):
    response = client.get("/sitemap/")
    html = response.content.decode()
    linked = set(re.findall(r'href="([^"?#]+)', html))
    not_pages = NOT_HTML | {"accounts:sign_out", "language", "portal:contact_sent", "membership:apply_sent",
                            "accounts:password_reset_done", "accounts:password_reset_complete"}
    route_paths = {r.name: r.path for r in own_routes()}
    for name in public_route_names():
        if name.startswith("moved_") or name in not_pages:
            continue
        if "<" in route_paths[name]:
            continue  # a page about one record is reached from its list
        url = reverse(name)
        assert url in linked, f"{name} ({url}) is not on the sitemap"


def test_the_site_has_an_icon_and_a_logo_mark(client):
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert re.search(r'<img class="site-title__mark" src="[^"]+logo[^"]*\.svg" alt=""', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


# What a form collects that is someone's personal data.
PERSONAL = re.compile(r'<input[^>]+(name="(contact_name|phone|email)"|autocomplete="(name|tel|email|organization)")')
# These look an account up; they keep nothing new.
LOOKUPS = {"/accounts/sign-in/", "/accounts/password-reset/"}


def test_every_form_that_collects_personal_data_carries_a_privacy_notice(world):
    collecting = set()
    for name, persona in html_pages():
        client = persona_client(world, persona)
        for url in urls_for(name):
            response = client.get(url)
            if response.status_code != 200:
                continue
            for form in re.findall(r'<form[^>]*method="post".*?</form>', response.content.decode(), re.S):
                if not PERSONAL.search(form) or url in LOOKUPS:
                    continue
                collecting.add(name)
                assert 'class="privacy-notice"' in form, f"{url}: a form collects personal data without a notice"
                assert "/privacy/#" in form, url
    # The forms known to collect: the discovery above must have seen them.
    assert {"portal:contact", "membership:apply", "membership:home", "membership:accept_invitation"} <= collecting
