"""Cached public pages that are never stale.

Anonymous GETs of PUBLIC views are rendered once per version of the public content and then
served from the cache; browsers and proxies may keep them (`public`) but must revalidate
(`max-age=0, must-revalidate`), which costs one query and a 304 when nothing changed.

The version is one row (ContentVersion) given a new random stamp by any save or delete of a
model of an app that shows it publicly, in the writer's own transaction, and when a scheduled
publication falls due. So a page published, edited or taken down shows at once, for everyone.

Core names no app: each app says in its AppConfig.ready() what of it is public (`register`).
"""

import hashlib
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from renkei.core import shared_version as shared
from renkei.core.access import PUBLIC
from renkei.core.models import ContentVersion

# App labels whose models' saves and deletes change public pages.
PUBLIC_APPS: set[str] = set()
# The URL namespaces whose PUBLIC pages are cached: reading pages, not links that act (email
# verification, invitations) nor the API.
CACHED_NAMESPACES: set[str] = set()
PUBLIC_HEADERS = "public, max-age=0, must-revalidate"
FRONT_SERVER_HEADER = "X-Accel-Expires"


def front_server_header() -> tuple[str, str]:
    """The front server (nginx, deploy/nginx/renkei.conf) may keep a page so marked until the end
    of the current second, then asks again (a 304 when nothing changed): the public's pages come
    from nginx's own cache, never more than a second older than what the app servers answer."""
    return FRONT_SERVER_HEADER, f"@{int(time.time())}"
PRIVATE_HEADERS = "private, no-cache"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag")

# Functions returning the next scheduled change of public content (or None); apps register them.
schedules = []
# Functions called once public content has changed and the change is committed (with the new
# version's stamp), e.g. to render pages kept as files.
after_change = []


def register(*, content: str | None = None, pages: str | None = None, schedule=None, changed=None) -> None:
    """For an app's ready(): `content`, an app label whose records appear on public pages (a model
    can opt out with `page_cache_exempt = True`); `pages`, a URL namespace whose public pages may be
    served from the cache; `schedule(now)`, the next time its content changes by itself;
    `changed(stamp)`, called after the commit of any change of public content."""
    if content:
        PUBLIC_APPS.add(content)
    if pages:
        CACHED_NAMESPACES.add(pages)
    if schedule is not None and schedule not in schedules:
        schedules.append(schedule)
    if changed is not None and changed not in after_change:
        after_change.append(changed)


def next_due():
    now = timezone.now()
    due = [when for when in (schedule(now) for schedule in schedules) if when is not None]
    return min(due, default=None)


def bump() -> str:
    """Give public content a new version, now."""
    stamp, due = secrets.token_hex(16), next_due()
    if not ContentVersion.objects.filter(pk=1).update(stamp=stamp, next_due=due):
        try:
            with transaction.atomic():  # two first writers at once: one creates, the other updates
                ContentVersion.objects.create(pk=1, stamp=stamp, next_due=due)
        except IntegrityError:
            ContentVersion.objects.filter(pk=1).update(stamp=stamp, next_due=due)
    transaction.on_commit(_notify)
    return stamp


def _notify() -> None:
    """After the commit: tell the front caches the version now current (announce) and tell the
    listeners. Several writes in one transaction call this several times with the same stamp;
    listeners skip one they have handled."""
    row = ContentVersion.objects.filter(pk=1).values_list("stamp", "next_due").first()
    if row is None:
        return
    announce(*row)
    for changed in after_change:
        changed(row[0])


def announce(stamp: str, due) -> None:
    """The version for the front caches (renkei.core.front): the file every process on this
    machine reads and, with REDIS_URL, the shared key every machine's processes follow."""
    write_version_file(stamp, due)
    if settings.REDIS_URL:
        shared.write(stamp, due)


def write_version_file(stamp: str, due) -> None:
    path = Path(settings.CONTENT_VERSION_FILE)
    temporary = path.with_name(f".{path.name}-{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(f"{stamp}\n{due.timestamp() if due else ''}\n")
        os.replace(temporary, path)  # readers see the old version or the new one, never half
    except OSError:
        temporary.unlink(missing_ok=True)
        path.unlink(missing_ok=True)  # no file: the front cache steps aside rather than serve stale


def current() -> str:
    row = ContentVersion.objects.filter(pk=1).values_list("stamp", "next_due").first()
    if row is None or (row[1] is not None and row[1] <= timezone.now()):
        return bump()
    if not os.path.exists(settings.CONTENT_VERSION_FILE):  # a fresh start: tell the front cache
        write_version_file(*row)
    if settings.REDIS_URL and shared.read() != (row[0], row[1].timestamp() if row[1] else None):
        shared.write(*row)  # a fresh Redis, or a change it missed while it was away
    return row[0]


def _changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    if sender._meta.app_label in PUBLIC_APPS and not getattr(sender, "page_cache_exempt", False):
        bump()


def connect_signals() -> None:
    from renkei.core import bulk

    for signal in (post_save, post_delete, m2m_changed, bulk.written):
        signal.connect(_changed, dispatch_uid=f"renkei-page-cache-{signal!r}")


class PublicPageCache:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_key", None)
        if key is None:
            if request.user.is_authenticated and not response.has_header("Cache-Control"):
                response["Cache-Control"] = PRIVATE_HEADERS
            return response
        if self._storable(request, response):
            response["ETag"] = request._page_etag
            response["Cache-Control"] = PUBLIC_HEADERS
            response.headers.__setitem__(*front_server_header())
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), timeout=settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        session = getattr(request, "session", None)
        return (response.status_code == 200 and not response.streaming and not response.cookies
                and not response.has_header("Cache-Control") and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and not (session is not None and session.modified))

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (request.method not in ("GET", "HEAD") or getattr(view_func, "access_rule", None) != PUBLIC
                or match is None or match.namespace not in CACHED_NAMESPACES
                or settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
                or request.user.is_authenticated):
            return None
        try:
            stamp = current()
        except DatabaseError:
            return None  # the view will say what is wrong
        raw = f"{stamp}|{request.LANGUAGE_CODE}|{request.get_full_path()}"
        request._page_key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        request._page_etag = f'"{request._page_key[5:37]}"'
        headers = {"ETag": request._page_etag, "Cache-Control": PUBLIC_HEADERS}
        headers.__setitem__(*front_server_header())
        if request.META.get("HTTP_IF_NONE_MATCH") == request._page_etag:
            response = HttpResponseNotModified()
        else:
            cached = cache.get(request._page_key)
            if cached is None:
                return None
            content, kept = cached
            response = HttpResponse(content)
            headers.update(kept)
        for name, value in headers.items():
            response[name] = value
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        request._page_key = None  # served: nothing to store
        return response
