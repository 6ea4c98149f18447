import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.core.errors import NotFound

logger = logging.getLogger(__name__)


@never_cache
@access(PUBLIC)
@require_safe
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        logger.exception("health check failed")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception=None):
    message = str(exception) if isinstance(exception, NotFound) else ""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or "見つかりません。"}, status=404)
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    # Rendered without a request context: the database may be what failed. The request's id
    # finds its log line when someone reports the error.
    request_id = getattr(request, "id", "")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "サーバーでエラーが発生しました。", "request_id": request_id}, status=500)
    return HttpResponse(loader.get_template("500.html").render({"request_id": request_id}), status=500)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    # Messages given to PermissionDenied in this project are written for the reader.
    message = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"message": message}, status=403)


@never_cache
@access(PUBLIC)
@require_safe
def language(request, code: str):
    """Switch the language by a plain link (a cookie), then go back to the page."""
    from django.conf import settings
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        raise NotFound("日本語（ja）か英語（en）を選んでください。")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return response


def moved(to: str):
    """A view for an address that moved: 301 to the route named `to` (same parameters and query)
    for reading, 308 for a form sent to the old address, which keeps its method and body."""
    from django.http import HttpResponsePermanentRedirect
    from django.urls import reverse

    @access(PUBLIC)
    def view(request, **kwargs):
        target = reverse(to, kwargs=kwargs)
        if request.META.get("QUERY_STRING"):
            target += "?" + request.META["QUERY_STRING"]
        response = HttpResponsePermanentRedirect(target)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308
        return response

    return view
