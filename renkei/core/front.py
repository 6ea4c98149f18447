"""The front cache: finished public pages answered from the process's memory before Django runs.

Django's PublicPageCache (renkei.core.caching) decides what may be cached and marks it (`public,
max-age=0, must-revalidate` with an ETag, no cookie set). This WSGI wrapper keeps the finished
response — body and every header, the security headers included — keyed by the version of the
public content, the language and the full path, and answers the next anonymous GET or HEAD of it
without middleware, session or query.

The version comes, on one machine, from CONTENT_VERSION_FILE, which caching writes after every
commit that changes public content; a changed file is re-read (one stat per request), so a publish
shows at the next request in every process. With REDIS_URL (several machines) it comes from the
shared key every process follows (renkei.core.shared_version): no I/O on the request's path, and a
publish shows on every machine within milliseconds, within FRESH (1 s) at worst. When the version
is unknown, or a scheduled publication is due, the request goes to Django, which decides. Entries
also expire after PAGE_CACHE_SECONDS.
"""

import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import escape_uri_path, iri_to_uri

from renkei.core.caching import FRONT_SERVER_HEADER, PUBLIC_HEADERS
from renkei.core.requestlog import ANSWERED
from renkei.core.shared_version import Follower

SKIP_COOKIES = ("messages",)
# The drawing request's own, not replayed to others: its id, and how long nginx may keep it (each
# answer says it anew).
ONE_REQUEST_HEADERS = ("x-request-id", FRONT_SERVER_HEADER.lower())
FILL_WAIT = 10.0  # seconds a request waits for another thread drawing the same page


_paths: dict[str, str] = {}


def path_setting(name: str) -> str:
    """A path setting as a string, read once per process (a lazy settings lookup costs more than
    the rest of a cached answer); read again after a test changes it."""
    try:
        return _paths[name]
    except KeyError:
        value = _paths[name] = os.fspath(getattr(settings, name))
        return value


@receiver(setting_changed)
def _setting_changed(setting, **kwargs):
    _paths.pop(setting, None)


def cookies(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


def language(environ, jar) -> str:
    """The language Django's LocaleMiddleware would choose: its cookie, then Accept-Language."""
    chosen = jar.get(settings.LANGUAGE_COOKIE_NAME, "")
    codes = [code for code, _name in settings.LANGUAGES]
    if chosen in codes:
        return chosen
    from django.utils.translation.trans_real import parse_accept_lang_header

    for tag, _quality in parse_accept_lang_header(environ.get("HTTP_ACCEPT_LANGUAGE", "")):
        if tag == "*":
            break
        primary = tag.split("-")[0]
        if primary in codes:
            return primary
    return settings.LANGUAGE_CODE


def anonymous(jar) -> bool:
    return settings.SESSION_COOKIE_NAME not in jar and not any(name in jar for name in SKIP_COOKIES)


class Version:
    """The content version as the file says it, re-read when the file changes."""

    def __init__(self):
        self.seen = None
        self.value = None

    def get(self):
        path = path_setting("CONTENT_VERSION_FILE")
        try:
            stat = os.stat(path)
        except OSError:
            return None
        mark = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if mark != self.seen:
            try:
                with open(path, encoding="utf-8") as handle:
                    stamp, due = (handle.read().split("\n") + ["", ""])[:2]
            except OSError:
                return None
            self.seen, self.value = mark, (stamp, float(due) if due else None)
        stamp, due = self.value
        if not stamp or (due is not None and due <= time.time()):
            return None  # a scheduled publication is due: Django gives the content a new version
        return stamp


class FrontCache:
    ROUTES = 4096  # remembered requests; forgotten all at once when full

    def __init__(self, application, size: int | None = None):
        self.application = application
        self.size = settings.FRONT_CACHE_PAGES if size is None else size
        self.entries = OrderedDict()  # (stamp, language, path) → (expires, status, headers, body, etag)
        self.routes = {}  # the request's raw path, query and headers → (language, path), or None: not anonymous
        self.version = Follower(settings.REDIS_URL) if settings.REDIS_URL else Version()
        self.filling = {}  # key → threading.Event: a thread is drawing that page now
        self.lock = threading.Lock()
        self.second, self.until = None, None  # the second now, and the X-Accel-Expires header for it

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if not self.size or method not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        request = (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                   environ.get("HTTP_COOKIE", ""), environ.get("HTTP_ACCEPT_LANGUAGE", ""),
                   environ.get("SCRIPT_URL"), environ.get("REDIRECT_URL"))  # Django's get_script_name reads them
        try:
            route = self.routes[request]
        except KeyError:
            route = self._route(environ, request)
        stamp = self.version.get() if route is not None else None  # a stat, or an attribute
        if stamp is None:
            return self.application(environ, start_response)
        key = (stamp, *route)
        entry = self.entries.get(key)
        if entry is not None and entry[0] > time.monotonic():
            return self._answer(environ, start_response, entry)
        return self._fill(environ, start_response, key)

    def _route(self, environ, request):
        jar = cookies(request[3])
        if anonymous(jar):
            query = request[2]
            path = escape_uri_path(get_script_name(environ) + get_path_info(environ))
            route = (language(environ, jar), path + (f"?{iri_to_uri(query)}" if query else ""))
        else:
            route = None
        if len(self.routes) >= self.ROUTES:
            self.routes.clear()
        self.routes[request] = route
        return route

    def _answer(self, environ, start_response, entry):
        _expires, status, headers, body, etag = entry
        second = int(time.time())
        if second != self.second:
            self.second, self.until = second, (FRONT_SERVER_HEADER, f"@{second}")
        if etag and environ.get("HTTP_IF_NONE_MATCH") == etag:
            environ[ANSWERED] = "304"
            start_response("304 Not Modified",
                           [(n, v) for n, v in headers if n.lower() != "content-length"] + [self.until])
            return [b""]
        environ[ANSWERED] = status
        start_response(status, [*headers, self.until])
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
    def _fill(self, environ, start_response, key):
        """Draw the page through Django and keep it. When many ask for the same page at once (the
        first requests after a publish), one draws it and the others wait for it."""
        with self.lock:
            drawing = self.filling.get(key)
            if drawing is None:
                self.filling[key] = threading.Event()
        if drawing is not None:
            drawing.wait(FILL_WAIT)
            entry = self.entries.get(key)
            if entry is not None and entry[0] > time.monotonic():
                return self._answer(environ, start_response, entry)
            return self.application(environ, start_response)  # not kept (not cacheable after all)
        try:
            return self._draw(environ, start_response, key)
        finally:
            with self.lock:
                self.filling.pop(key).set()

    def _draw(self, environ, start_response, key):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.application(environ, capture)
        headers = dict((name.lower(), value) for name, value in captured.get("headers", []))
        keep = (environ["REQUEST_METHOD"] == "GET" and captured.get("status", "").startswith("200")
                and headers.get("cache-control") == PUBLIC_HEADERS and "set-cookie" not in headers
                and headers.get("content-language", key[1]) == key[1])
        if not keep:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        kept = [(name, value) for name, value in captured["headers"] if name.lower() not in ONE_REQUEST_HEADERS]
        self.entries[key] = (time.monotonic() + settings.PAGE_CACHE_SECONDS, captured["status"],
                             kept, body, headers.get("etag"))
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return [body]
