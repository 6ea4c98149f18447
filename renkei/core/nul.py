"""A NUL character in a request's fields or address is refused with a 400 before any view runs:
no text anyone means contains one, and PostgreSQL cannot store or compare it (a 500 otherwise)."""

from django.http import HttpResponseBadRequest, JsonResponse

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
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
