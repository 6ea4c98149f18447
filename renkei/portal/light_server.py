"""The embedded server's fastest path for 災害モード: the light pages answered from memory before
Django runs (no middleware, no session, no database), when no front server does it.

Wraps the WSGI application (renkei/wsgi.py). A GET or HEAD of `/`, `/disasters/` or
`/disasters/<id>/` without a query string and without a session cookie (a signed-in member gets
the full site) is answered with the file under LIGHT_PAGES_ROOT/live/<language>/ if it exists —
it exists only while the mode is on. The language is chosen as Django's LocaleMiddleware does:
the language cookie, then Accept-Language, then Japanese. Anything else goes to Django.
"""

import hashlib
import os
import re
from pathlib import Path

from django.conf import settings

from renkei.core import front

PAGES = re.compile(r"^/(?:(disasters/)(?:(\d{1,9})/)?)?$")
LIGHT_HEADER = ("X-Renkei-Page", "light")


def _file_for(path: str) -> str | None:
    match = PAGES.match(path)
    if match is None:
        return None
    section, pk = match.groups()
    if section is None:
        return "index.html"
    return f"disasters/{pk}/index.html" if pk else "disasters/index.html"


class LightPages:
    def __init__(self, application, root: Path | None = None):
        self.application = application
        self.root = root
        self.files = {}  # path → (inode, mtime, body, etag)

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not environ.get("QUERY_STRING"):
            name = _file_for(environ.get("PATH_INFO", ""))
            if name is not None:
                served = self._serve(environ, start_response, name)
                if served is not None:
                    return served
        return self.application(environ, start_response)

    def _serve(self, environ, start_response, name: str):
        jar = front.cookies(environ.get("HTTP_COOKIE", ""))
        if settings.SESSION_COOKIE_NAME in jar:
            return None
        language = front.language(environ, jar)
        path = os.path.join(self.root or settings.LIGHT_PAGES_ROOT, "live", language, name)
        try:
            stat = os.stat(path)
        except OSError:
            return None  # the mode is off, or no such page: Django answers
        known = self.files.get(path)
        if known is None or known[:2] != (stat.st_ino, stat.st_mtime_ns):
            try:
                with open(path, "rb") as handle:
                    body = handle.read()
            except OSError:
                return None
            known = (stat.st_ino, stat.st_mtime_ns, body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
            self.files[path] = known
        body, etag = known[2], known[3]
        headers = [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Language", language), ("ETag", etag),
            ("Cache-Control", "public, max-age=0, must-revalidate"), ("Vary", "Cookie, Accept-Language"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"), LIGHT_HEADER,
        ]
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            start_response("304 Not Modified", headers)
            return [b""]
        headers.append(("Content-Length", str(len(body))))
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
