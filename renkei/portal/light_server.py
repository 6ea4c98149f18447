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
from renkei.core import headers as security
from renkei.core.requestlog import ANSWERED

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
    ROUTES = 4096  # remembered requests (path, cookies, Accept-Language); forgotten all at once when full

    def __init__(self, application, root: Path | None = None):
        self.application = application
        self.root = root
        self.routes = {}  # (root, path, Cookie, Accept-Language) → (file, language), or None: not a light page
        self.files = {}  # file → ((inode, mtime), body, headers, etag)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return self.application(environ, start_response)
        request = (self.root or front.path_setting("LIGHT_PAGES_ROOT"), environ.get("PATH_INFO", ""),
                   environ.get("HTTP_COOKIE", ""), environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        try:
            route = self.routes[request]
        except KeyError:
            route = self._route(*request)
        if route is None:
            return self.application(environ, start_response)
        # One stat per request: the mode switched off (no `live` link) or a page re-rendered (a new
        # build: another inode) shows at once.
        path, language = route
        if not os.access(path, os.F_OK):  # the mode is off (cheaper than a failed stat)
            return self.application(environ, start_response)
        try:
            stat = os.stat(path)
        except OSError:
            return self.application(environ, start_response)  # the mode is off, or no such page
        known = self.files.get(path)
        if known is None or known[0] != (stat.st_ino, stat.st_mtime_ns):
            known = self._read(path, language, stat)
            if known is None:
                return self.application(environ, start_response)
        _mark, body, headers, etag = known
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            environ[ANSWERED] = "304"
            start_response("304 Not Modified", list(headers[:-1]))
            return [b""]
        environ[ANSWERED] = "200"
        start_response("200 OK", list(headers))
        return [body] if method == "GET" else [b""]

    def _route(self, root, path_info, cookie, accept_language):
        name = _file_for(path_info)
        jar = front.cookies(cookie)
        if name is None or settings.SESSION_COOKIE_NAME in jar:
            route = None  # not a light page, or a signed-in member: the full site
        else:
            language = front.language({"HTTP_ACCEPT_LANGUAGE": accept_language}, jar)
            route = (os.path.join(root, "live", language, name), language)
        if len(self.routes) >= self.ROUTES:
            self.routes.clear()
        self.routes[(root, path_info, cookie, accept_language)] = route
        return route

    def _read(self, path, language, stat):
        try:
            with open(path, "rb") as handle:
                body = handle.read()
        except OSError:
            return None
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers = [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Language", language), ("ETag", etag),
            ("Cache-Control", "public, max-age=0, must-revalidate"), ("Vary", "Cookie, Accept-Language"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
            *security.HEADERS, LIGHT_HEADER,
            ("Content-Length", str(len(body))),  # last: a 304 goes without it
        ]
        known = ((stat.st_ino, stat.st_mtime_ns), body, tuple(headers), etag)
        self.files[path] = known
        return known
