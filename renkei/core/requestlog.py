"""One JSON line per request, with an id that follows it: nginx's `$request_id` when nginx sent
one (X-Request-ID), else a new one. The id goes back in the X-Request-ID header and onto the 500
page, so a clerk who reports an error can read out the number that finds its log line.

The lines go to the `renkei.requests` logger (stdout; journald keeps them as long as
docs/deploy.md says: 90 days).
"""

import collections
import json
import logging
import os
import re
import secrets
import threading
import time

from renkei.core.clients import client_address

logger = logging.getLogger("renkei.requests")
GIVEN = re.compile(r"[0-9A-Za-z-]{8,64}")
LOGGED = "renkei.logged"  # in the WSGI environ: Django's line is written (AccessLog skips it)
ANSWERED = "renkei.answered"  # in the WSGI environ: the status a wrapper answered with before Django


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if GIVEN.fullmatch(given) else secrets.token_hex(8)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        request.META[LOGGED] = True
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            logger.info(json.dumps({
                "request_id": request.id, "method": request.method, "path": request.path,
                "status": response.status_code, "ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client_address(request), "user": user.pk if user is not None and user.is_authenticated else None,
            }, ensure_ascii=False))
        return response


class ClientErrorsInOneLine(logging.Filter):
    """django.request logs a refused request (403, 404, 400) with the exception that refused it:
    a full traceback for what is an ordinary answer. Those keep their one line; 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True


class AccessLog:
    """The embedded server's access log (`make run`; ACCESS_LOG=true): a line for each request
    answered before Django — a page from the front cache's memory, a light page, the busy page —
    in the same JSON as the lines above (Django's own requests keep theirs) without the time
    (well under a millisecond), with `"from": "front"`. The request only appends a tuple; a
    thread formats the lines and writes them in one batch every FLUSH seconds, so the log costs
    the cached page next to nothing, not half (granian's own access log wrote a line per request
    on the request's path).
    """

    FLUSH = 0.05  # seconds

    def __init__(self, application):
        self.application = application
        self.pending = collections.deque()
        self.known = {}
        self.thread = None
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self):
        self.pending.clear()
        self.thread = None

    def __call__(self, environ, start_response):
        result = self.application(environ, start_response)
        if LOGGED not in environ:
            self.pending.append((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""),
                                 environ.get(ANSWERED, ""), environ.get("REMOTE_ADDR", "")))
            if self.thread is None:
                self._start()
        return result

    def _start(self):
        self.thread = threading.Thread(target=self._write, name="renkei-access-log", daemon=True)
        self.thread.start()

    def _write(self):
        while True:
            time.sleep(self.FLUSH)
            self.flush()

    def flush(self):
        lines, pending, known = [], self.pending, self.known
        while pending:
            method, path, status, client = pending.popleft()
            try:
                start = known[(method, path, status)]
            except KeyError:  # the part a page's lines share, written once
                if len(known) > 10000:
                    known.clear()
                start = known[(method, path, status)] = json.dumps(
                    {"method": method, "path": path, "status": int(status[:3] or 0)}, ensure_ascii=False)[:-1]
            lines.append(f'{start}, "client": "{client}", "from": "front"}}')  # REMOTE_ADDR: an address
        if lines:
            logger.info("\n".join(lines))
