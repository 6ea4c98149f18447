"""Under overload the public's excess gets a short Japanese 503 at once; members keep a thread."""

import io
import threading
import wsgiref.util

import pytest

from renkei.core import overload
from renkei.core.overload import Shed


class Slow:
    """Django behind the gate: /slow/ holds its thread until released; counts renders at once."""

    def __init__(self):
        self.release, self.lock = threading.Event(), threading.Lock()
        self.now = self.most = 0

    def __call__(self, environ, start_response):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            if environ["PATH_INFO"] == "/slow/":
                assert self.release.wait(10)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"django"]
        finally:
            with self.lock:
                self.now -= 1


def call(app, path="/slow/", *, method="GET", cookie=""):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "wsgi.input": io.BytesIO(b"")}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    wsgiref.util.setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(app(environ, start_response)).decode()
    return answer


def fill(app, count):
    """`count` public requests for /slow/, each in its own thread (as the server's threads)."""
    answers, threads = [], []
    for _ in range(count):
        thread = threading.Thread(target=lambda: answers.append(call(app)))
        thread.start()
        threads.append(thread)
    return answers, threads


def wait_for(condition):
    event = threading.Event()
    for _ in range(200):
        if condition():
            return
        event.wait(0.01)
    raise AssertionError("not reached")


def test_the_public_beyond_the_threads_gets_the_busy_page_at_once(settings, monkeypatch):
    monkeypatch.setattr(overload, "PATIENCE", 60)  # a request let in would wait longer than this test
    inner = Slow()
    app = Shed(inner, threads=5)  # 4 for the public, 1 kept
    answers, threads = fill(app, 4)
    wait_for(lambda: app.public == 4)
    told = []
    fifth = threading.Thread(target=lambda: told.append(call(app)))
    fifth.start()
    fifth.join(5)
    assert told, "the fifth public request was kept waiting instead of being told at once"
    busy = told[0]
    assert busy["status"] == "503 Service Unavailable"
    assert busy["headers"]["Retry-After"] == "30" and busy["headers"]["Content-Language"] == "ja"
    assert "アクセスが集中しています" in busy["body"] and "30秒ほど待ってから" in busy["body"]
    assert 'href="/disasters/"' in busy["body"]  # where the disaster information stays
    # Never turned away: a signed-in member, a form sent, a static file.
    assert call(app, "/members/", cookie=f"{settings.SESSION_COOKIE_NAME}=abc")["body"] == "django"
    assert call(app, "/inquiries/", method="POST")["body"] == "django"
    assert call(app, settings.STATIC_URL + "css/site.css")["body"] == "django"
    assert call(app, "/accounts/sign-in/")["body"] == "django"  # staff can still sign in
    inner.release.set()
    for thread in threads:
        thread.join()
    assert [answer["status"] for answer in answers] == ["200 OK"] * 4
    assert inner.most <= overload.RENDERING + 1  # the public's renders take turns (+ the member's)
    assert app.public == 0 and call(app)["status"] == "200 OK"  # the count came back down
    assert app.shed == 1


def test_a_public_request_waits_its_turn_only_so_long(monkeypatch):
    monkeypatch.setattr(overload, "PATIENCE", 0.05)
    inner = Slow()
    app = Shed(inner, threads=5)
    _answers, threads = fill(app, overload.RENDERING)
    wait_for(lambda: inner.now == overload.RENDERING)
    assert call(app)["status"] == "503 Service Unavailable"  # waited 0.05 s for a turn, then told
    inner.release.set()
    for thread in threads:
        thread.join()
    assert app.public == 0


@pytest.mark.parametrize("threads", [1, 2])
def test_a_server_with_a_thread_or_two_per_process_never_sheds(threads):
    inner = Slow()
    app = Shed(inner, threads=threads)
    _answers, slow = fill(app, 3)
    wait_for(lambda: inner.now == 3)  # all three let through at once: no turns either
    assert call(app, "/fast/")["status"] == "200 OK"
    inner.release.set()
    for thread in slow:
        thread.join()
