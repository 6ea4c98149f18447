"""災害モード: one switch; light pages rendered to files, kept fresh, served before Django runs;
a drill the public never sees; the shell can do it all."""

import io
import re
import wsgiref.util

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from renkei.core.models import AuditEntry
from renkei.disasters.services import disasters as disaster_services
from renkei.portal import disaster_mode
from renkei.portal.light_server import LightPages
from renkei.portal.models import SiteMode
from renkei.testing import sample_disaster, sign_in, text

pytestmark = pytest.mark.django_db


def switch(client, world, mode: str, capture):
    sign_in(client, world.secretariat)
    with capture(execute=True):
        return client.post("/secretariat/disaster-mode/", {"mode": mode})


def django_application(environ, start_response):
    """Stands for Django behind the light pages: says that the request reached it."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"django"]


# One wrapper for the whole module, as one server process keeps it: what it remembers between
# requests (the route a request resolves to, a page's bytes) must never outlive a change.
LIGHT = LightPages(django_application)


def call(path: str, *, method="GET", query="", cookie="", language="", etag=""):
    """A request through the WSGI wrapper as the app server makes it: (status, headers, body)."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
               "wsgi.input": io.BytesIO(b"")}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if language:
        environ["HTTP_ACCEPT_LANGUAGE"] = language
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    wsgiref.util.setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(LIGHT(environ, start_response))
    return answer["status"], answer["headers"], body.decode()


def test_switching_on_renders_light_pages_in_both_languages(client, world, django_capture_on_commit_callbacks):
    disaster = sample_disaster()
    response = switch(client, world, "on", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert "トップページと災害支援のページが軽量版になりました" in text(client.get(response["Location"]))
    assert disaster_mode.state() == SiteMode.Mode.ON
    live = settings.LIGHT_PAGES_ROOT / "live"
    home = (live / "ja" / "index.html").read_text()
    call = '特別区長会事務局 <a href="tel:0352109738" class="nowrap">03-5210-9738</a>'
    assert disaster.name in home and call in home  # what happened, whom to call
    assert "北海道厚真町 ← 千代田区" in home and "飲料水（2L）" in home  # what the 23 wards are doing
    assert "更新" in home and "令和" in home  # the time it shows, in 和暦
    assert 'href="/?full=1"' in home  # the normal pages stay one link away
    detail = (live / "ja" / "disasters" / str(disaster.pk) / "index.html").read_text()
    assert "特別区長会の支援について" in detail  # the confirmed report, in the course of events
    assert "Disaster support" in (live / "en" / "disasters" / "index.html").read_text()
    entry = AuditEntry.objects.get(action="portal.site_mode.changed")
    assert entry.changes == {"mode": ["off", "on"]}


def test_light_pages_are_light(client, world, django_capture_on_commit_callbacks):
    sample_disaster()
    switch(client, world, "on", django_capture_on_commit_callbacks)
    css = finders.find("css/light.css")
    for page in (settings.LIGHT_PAGES_ROOT / "live").rglob("*.html"):
        html = page.read_text()
        assert "<script" not in html and "@font-face" not in html and "<img" not in html
        assert re.findall(r'<link[^>]+href="([^"]+)"', html) == ["/static/css/light.css"]
        weight = len(html.encode()) + len(open(css, "rb").read())
        assert weight <= 50_000, f"{page}: {weight} bytes"


def test_the_embedded_server_answers_them_before_django(client, world, django_capture_on_commit_callbacks):
    disaster = sample_disaster()
    assert call("/")[2] == "django"  # off: Django's home page
    switch(client, world, "on", django_capture_on_commit_callbacks)
    status, headers, body = call("/")
    assert status == "200 OK" and headers["X-Renkei-Page"] == "light" and disaster.name in body
    assert headers["Content-Language"] == "ja" and headers["X-Content-Type-Options"] == "nosniff"
    assert call(f"/disasters/{disaster.pk}/")[1].get("X-Renkei-Page") == "light"
    assert call("/disasters/")[1].get("X-Renkei-Page") == "light"
    assert "Disaster support" in call("/disasters/", language="en-US,en;q=0.9")[2]
    assert "Disaster support" in call("/disasters/", cookie="django_language=en", language="ja")[2]
    assert call("/", method="HEAD")[2] == ""
    assert call("/", etag=headers["ETag"])[0] == "304 Not Modified"
    # Django answers: the normal page asked for, a signed-in person, a write, another page.
    assert call("/", query="full=1")[2] == "django"
    assert call("/", cookie=f"{settings.SESSION_COOKIE_NAME}=abc")[2] == "django"
    assert call("/disasters/", method="POST")[2] == "django"
    assert call("/events/")[2] == "django"
    assert call("/disasters/999999/")[2] == "django"  # no light page: Django answers (404)


def test_a_change_to_the_records_shows_in_the_light_pages_at_once(client, world, django_capture_on_commit_callbacks):
    disaster = sample_disaster()
    switch(client, world, "on", django_capture_on_commit_callbacks)
    assert "03-5210-0000" not in call("/")[2]  # read once: the process now holds the page
    disaster.refresh_from_db()  # as the HQ's form reads it
    with django_capture_on_commit_callbacks(execute=True):
        disaster_services.save_disaster(actor=world.secretariat, disaster=disaster, data={
            "name": disaster.name, "kind": disaster.kind, "started_on": disaster.started_on,
            "affected": list(disaster.affected.all()), "summary": disaster.summary,
            "hq_contact": "特別区長会事務局 災害対策 03-5210-0000"})
    assert "03-5210-0000" in call("/")[2]


def test_switching_off_shows_the_full_site_at_the_next_request(client, world, django_capture_on_commit_callbacks):
    sample_disaster()
    switch(client, world, "on", django_capture_on_commit_callbacks)
    assert call("/")[1].get("X-Renkei-Page") == "light"
    assert call("/")[1].get("X-Renkei-Page") == "light"  # the second time from what the process remembers
    switch(client, world, "off", django_capture_on_commit_callbacks)
    assert call("/")[2] == "django"
    switch(client, world, "on", django_capture_on_commit_callbacks)
    assert call("/")[1].get("X-Renkei-Page") == "light"


def test_other_pages_point_to_the_light_pages_while_it_is_on(client, world, django_capture_on_commit_callbacks):
    switch(client, world, "on", django_capture_on_commit_callbacks)
    page = Client().get("/events/").content.decode()
    note = page.split('class="light-note"', 1)[1].split("</aside>", 1)[0]
    assert 'href="/"' in note and 'href="/disasters/"' in note
    switch(client, world, "off", django_capture_on_commit_callbacks)
    assert 'class="light-note"' not in Client().get("/events/").content.decode()
    assert not (settings.LIGHT_PAGES_ROOT / "live").exists()
    assert call("/")[2] == "django"


def test_a_drill_is_for_the_secretariat_only(client, world, django_capture_on_commit_callbacks):
    switch(client, world, "drill", django_capture_on_commit_callbacks)
    assert disaster_mode.state() == SiteMode.Mode.DRILL
    assert call("/")[2] == "django"  # the public sees the normal site
    assert 'class="light-note"' not in Client().get("/events/").content.decode()
    assert "災害モードの訓練中です" in text(client.get("/events/"))
    preview = client.get("/secretariat/disaster-mode/preview/ja/index.html")
    assert preview.status_code == 200 and "【訓練】" in preview.content.decode()
    member = Client()
    sign_in(member, world.member)
    assert member.get("/secretariat/disaster-mode/preview/ja/index.html").status_code == 403
    assert client.get("/secretariat/disaster-mode/preview/ja/../../../etc/passwd").status_code == 404


def test_activating_an_hq_offers_the_switch(client, world):
    disaster = sample_disaster()
    sign_in(client, world.secretariat)
    page = client.get(f"/secretariat/disasters/{disaster.pk}/").content.decode()
    assert 'action="/secretariat/disaster-mode/"' in page and 'name="mode" value="on"' in page


def test_a_switch_without_a_mode_is_refused_plainly(client, world):
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/disaster-mode/", {"mode": "maybe"})
    assert response.status_code == 400 and "切り替え先" in text(response)
    assert disaster_mode.current().mode == SiteMode.Mode.OFF


def test_the_shell_switches_and_reports(world, django_capture_on_commit_callbacks):
    sample_disaster()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("disaster_mode", "on", stdout=out)
    report = out.getvalue()
    assert "表示: 災害モード (on)" in report and "ja/index.html" in report and "en/index.html" in report
    out = io.StringIO()
    call_command("disaster_mode", "status", stdout=out)
    assert "表示: 災害モード (on)" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("disaster_mode", "off", stdout=io.StringIO())
    assert disaster_mode.state() == SiteMode.Mode.OFF
