"""The front cache answers finished public pages before Django runs, and never serves them stale."""

import datetime as dt
import io
import json
import logging
import threading
import wsgiref.util

import pytest
import time_machine
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone

from renkei.core import caching, requestlog
from renkei.core.front import FrontCache
from renkei.portal import services as portal
from renkei.portal.models import NewsItem

pytestmark = pytest.mark.django_db


class Counting:
    """Django behind the front cache, counting the requests that reach it."""

    def __init__(self):
        self.django, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def front():
    # As Django's test client does: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        inner = Counting()
        yield FrontCache(inner, size=100), inner
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def get(app, path="/", *, method="GET", query="", cookie="", language="", etag="", request_id=""):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO(b""),
               "SERVER_NAME": "testserver", "HTTP_HOST": "testserver"}
    for name, value in (("HTTP_COOKIE", cookie), ("HTTP_ACCEPT_LANGUAGE", language), ("HTTP_IF_NONE_MATCH", etag),
                        ("HTTP_X_REQUEST_ID", request_id)):
        if value:
            environ[name] = value
    wsgiref.util.setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    result = app(environ, start_response)
    body = b"".join(result)
    getattr(result, "close", lambda: None)()
    return answer["status"], answer["headers"], body.decode(errors="replace")


def publish(world, title, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return portal.save_news(editor=world.secretariat, data={
            "title": title, "lead": "", "body": "本文", "publishing": "now", "publish_at": None})


def test_a_public_page_is_answered_from_memory_after_its_first_view(front):
    app, django = front
    caching.current()  # the version file, as the first request of a server writes it
    first = get(app, "/")
    second = get(app, "/")
    assert django.calls == 1
    assert second[0] == "200 OK" and second[2] == first[2]
    for header in ("ETag", "X-Frame-Options", "X-Content-Type-Options", "Content-Language", "Cache-Control"):
        assert second[1][header] == first[1][header]
    assert get(app, "/", etag=first[1]["ETag"])[0] == "304 Not Modified"
    assert get(app, "/", method="HEAD")[2] == ""
    assert django.calls == 1


def test_a_publish_shows_at_the_next_request(front, world, django_capture_on_commit_callbacks):
    app, django = front
    caching.current()
    get(app, "/news/")
    publish(world, "防災訓練のお知らせ", django_capture_on_commit_callbacks)
    status, _headers, body = get(app, "/news/")
    assert "防災訓練のお知らせ" in body and django.calls == 2
    item = NewsItem.objects.get(title="防災訓練のお知らせ")
    with django_capture_on_commit_callbacks(execute=True):
        portal.delete(editor=world.secretariat, item=item)
    assert "防災訓練のお知らせ" not in get(app, "/news/")[2]


def test_people_signed_in_and_other_languages_are_not_given_someone_else_s_page(front):
    app, django = front
    caching.current()
    get(app, "/")
    get(app, "/", cookie="sessionid=abc")
    get(app, "/", cookie="messages=abc")
    assert django.calls == 3
    english = get(app, "/", language="en-US,en;q=0.9")
    assert english[1]["Content-Language"] == "en" and django.calls == 4
    assert get(app, "/", language="en")[1]["Content-Language"] == "en" and django.calls == 4
    assert get(app, "/", query="full=1")[0] == "200 OK" and django.calls == 5  # its own entry


def test_without_a_version_or_with_a_publication_due_django_decides(front, settings):
    app, django = front
    get(app, "/")  # no version file yet: Django answers, and writes it
    get(app, "/")  # now the page is kept
    get(app, "/")
    assert django.calls == 2
    settings.CONTENT_VERSION_FILE.unlink()
    get(app, "/")
    assert django.calls == 3
    due = timezone.now() - dt.timedelta(minutes=1)
    caching.write_version_file(caching.current(), due)  # a scheduled item has just gone public
    get(app, "/")
    get(app, "/")
    assert django.calls == 5


def test_many_asking_for_one_page_at_once_get_one_drawing(settings):
    """The first requests after a publish: one thread draws the page, the others wait for it."""
    settings.CONTENT_VERSION_FILE.write_text("stamp-1\n")
    drawing, calls = threading.Event(), []

    def django(environ, start_response):
        calls.append(environ["PATH_INFO"])
        drawing.wait(10)
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Language", "ja"),
                                  ("Cache-Control", caching.PUBLIC_HEADERS), ("ETag", '"e1"')])
        return [b"<p>page</p>"]

    app = FrontCache(django, size=10)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(get(app))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for _ in range(500):  # until the first is drawing and the other five wait for it
        if calls and sum(thread.is_alive() for thread in threads) == 6:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.2)
    drawing.set()
    for thread in threads:
        thread.join(10)
    assert calls == ["/"]
    assert [(status, body) for status, _headers, body in answers] == [("200 OK", "<p>page</p>")] * 6


def test_each_answer_tells_nginx_it_may_keep_the_page_to_the_end_of_this_second(front):
    """X-Accel-Expires: @<the second now>, said anew by every answer (never the drawing's), and
    the drawing request's id is its own."""
    app, django = front
    caching.current()
    with time_machine.travel(dt.datetime(2026, 12, 6, 9, 0, 0, 300000, tzinfo=dt.UTC), tick=False):
        first = get(app, "/", request_id="drawn-by-this-request")
        assert first[1]["X-Accel-Expires"] == "@1796547600"
        assert first[1]["X-Request-ID"] == "drawn-by-this-request"
    with time_machine.travel(dt.datetime(2026, 12, 6, 9, 0, 7, 900000, tzinfo=dt.UTC), tick=False):
        second = get(app, "/", request_id="another-request-here")
        assert second[1]["X-Accel-Expires"] == "@1796547607"
        assert get(app, "/", etag=first[1]["ETag"])[1]["X-Accel-Expires"] == "@1796547607"  # a 304 too
    assert django.calls == 1
    assert "X-Request-ID" not in second[1]  # not the first request's id, given to another
    # Pages nobody may keep say nothing to nginx.
    assert "X-Accel-Expires" not in get(app, "/", cookie="sessionid=abc")[1]


def test_the_access_log_has_one_line_for_each_request(front, caplog):
    """`make run`'s log: a page from memory gets a line from AccessLog; one Django drew keeps
    Django's line alone."""
    app, _django = front
    logged = requestlog.AccessLog(app)
    caching.current()
    caplog.set_level(logging.INFO, logger="renkei.requests")
    get(logged, "/")  # drawn by Django: its line
    get(logged, "/")  # from memory
    get(logged, "/", etag=get(app, "/")[1]["ETag"])  # from memory, a 304
    logged.flush()
    lines = [json.loads(line) for record in caplog.records if record.name == "renkei.requests"
             for line in record.getMessage().splitlines()]
    assert [(line["path"], line["status"], line.get("from")) for line in lines] == [
        ("/", 200, None), ("/", 200, "front"), ("/", 304, "front")]


def test_the_printed_forms_are_kept_like_any_public_page(front, world):
    """The newsletter and a 第N報 as PDF files: from memory after the first reader, and nginx may
    keep them too (no hour-long max-age that would outlive an erratum)."""
    from renkei.testing import load_records

    load_records()
    app, django = front
    caching.current()
    first = get(app, "/newsletter/vol-1.pdf")
    second = get(app, "/newsletter/vol-1.pdf")
    assert first[0] == second[0] == "200 OK" and django.calls == 1
    assert second[1]["Content-Type"] == "application/pdf" and second[1]["Cache-Control"] == caching.PUBLIC_HEADERS
    assert "X-Accel-Expires" in second[1]
