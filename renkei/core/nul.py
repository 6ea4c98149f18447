"""A NUL character in a request's fields or address is refused with a 400 before any view runs:
no text anyone means contains one, and PostgreSQL cannot store or compare it (a 500 otherwise).
Other control characters pasted into a form (BEL, ESC, a C1 control, U+FFFE …) are removed from
the posted fields before any form reads them: nothing stores what no page or PDF can show."""

from django.http import HttpResponseBadRequest, JsonResponse, QueryDict

from renkei.core.text import CONTROLS, without_controls

MESSAGE = "使えない文字（NUL）が含まれています。"


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (
                request.method == "POST" and request.content_type != "multipart/form-data" and _has_nul(request.POST)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        if request.method == "POST" and request.content_type in _FORMS and any(
                CONTROLS.search(value) for values in request.POST.lists() for value in values[1]):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cleaned(query) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(without_controls(key), [without_controls(value) for value in values])
    cleaned._mutable = False
    return cleaned


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
