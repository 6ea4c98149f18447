"""One JSON line per request, with an id that follows it: nginx's `$request_id` when nginx sent
one (X-Request-ID), else a new one. The id goes back in the X-Request-ID header and onto the 500
page, so a clerk who reports an error can read out the number that finds its log line.

The lines go to the `renkei.requests` logger (stdout; journald keeps them as long as
docs/deploy.md says: 90 days).
"""

import json
import logging
import re
import secrets
import time

from renkei.core.clients import client_address

logger = logging.getLogger("renkei.requests")
GIVEN = re.compile(r"[0-9A-Za-z-]{8,64}")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if GIVEN.fullmatch(given) else secrets.token_hex(8)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
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
