"""Overload: when the public asks for more rendered pages than the server can draw, the excess is
turned away at once with a short Japanese page (503 and Retry-After), and signed-in members keep
a thread of their own.

Sits between the front cache and Django (renkei/wsgi.py): pages from memory and 災害モード's files
are answered before it and are never turned away. It counts the public's requests (no session
cookie; reading, not sending a form; not a static file, not the sign-in pages) inside Django in this process. Once they
take every thread but RESERVED of the server's (`threads`, per process), the next one is
answered with the busy page instead of waiting in the queue, so the queue drains and a member's
request finds a free thread. At most RENDERING of them render at once (the rest wait for a turn,
PATIENCE seconds at most): the renders are CPU work under one interpreter lock, so more at once
would only slow each. Servers with one thread per process (gunicorn's sync workers) never shed.
"""

import os
import threading

from django.conf import settings
from django.template import loader

from renkei.core import headers as security
from renkei.core.requestlog import ANSWERED

# Threads per app server process (renkei.server gives granian this number): twice the processors
# and one, the most granian advises for WSGI.
THREADS = 2 * (os.cpu_count() or 1) + 1
RETRY_AFTER = 30  # seconds
RESERVED = 1  # threads kept for members
RENDERING = 2  # public renders at once
PATIENCE = 5.0  # seconds a public request waits for its turn to render
# Pages staff need to get in while the public floods: signing in (and its second factor, a
# forgotten password) is never turned away, nor is anything a signed-in member asks for.
NEVER_SHED = ("/accounts/",)


class Shed:
    def __init__(self, application, *, threads: int = THREADS):
        from renkei.core.front import cookies  # here: renkei.server reads THREADS before Django is set up

        self.cookies = cookies
        self.application = application
        self.limit = threads - RESERVED
        self.turns = threading.BoundedSemaphore(RENDERING)
        self.lock = threading.Lock()
        self.public = 0  # public requests inside Django (rendering or waiting their turn)
        self.shed = 0  # answered busy since the process started
        self.page = None

    def __call__(self, environ, start_response):
        if not self._public(environ) or self.limit < RENDERING:
            return self.application(environ, start_response)
        with self.lock:
            full = self.public >= self.limit
            if not full:
                self.public += 1
        if full:
            return self._busy(environ, start_response)
        try:
            if not self.turns.acquire(timeout=PATIENCE):
                return self._busy(environ, start_response)
            try:
                result = self.application(environ, start_response)
                # Django's response is drawn by now; a stream is read outside the turn.
                return result
            finally:
                self.turns.release()
        finally:
            with self.lock:
                self.public -= 1

    def _public(self, environ) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False  # a form sent (an application, an inquiry, a sign-in) is never turned away
        if environ.get("PATH_INFO", "").startswith((settings.STATIC_URL, *NEVER_SHED)):
            return False
        return settings.SESSION_COOKIE_NAME not in self.cookies(environ.get("HTTP_COOKIE", ""))

    def _busy(self, environ, start_response):
        with self.lock:
            self.shed += 1
        environ[ANSWERED] = "503"
        if self.page is None:
            self.page = loader.get_template("503.html").render({"retry_after": RETRY_AFTER}).encode()
        start_response("503 Service Unavailable", [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Language", "ja"),
            ("Retry-After", str(RETRY_AFTER)), ("Cache-Control", "no-store"), ("Content-Length", str(len(self.page))),
            ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
            *security.HEADERS,
        ])
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [self.page]
