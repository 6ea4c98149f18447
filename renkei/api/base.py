"""The public JSON API (/api/v1/): one NinjaAPI; each app contributes a router."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.pagination import PageNumberPagination


class BadRequest(HttpError):
    def __init__(self, message: str):
        super().__init__(400, message)


def as_of_date(text: str):
    """?as_of=YYYY-MM-DD (ISO 8601, as the API's other dates): the date, or a 400 saying in
    Japanese what is wrong with it."""
    import re

    from renkei.core.dates import date_from_query

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise BadRequest(f"as_of「{(text or '')[:20]}」は 2018-10-01 のように年-月-日（ISO 8601）で指定してください。")
    day, error = date_from_query(text)
    if day is None:
        raise BadRequest(f"as_of: {error}")
    return day


class Pagination(PageNumberPagination):
    """?page=N&page_size=M; the response carries `count` and `items`."""

    def __init__(self, **kwargs):
        super().__init__(page_size=100, max_page_size=2000, **kwargs)


def _location(error: dict) -> str:
    return ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path"))


PAGINATION_FIELDS = {"page", "page_size"}


def validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI):
    """422 from the schema becomes a 400 that says, in Japanese, which parameter is wrong."""
    fields = sorted({_location(e) for e in exc.errors if _location(e)})
    detail = "リクエストの値が正しくありません"
    if fields:
        detail += f"（{'、'.join(fields)}）"
    detail += "。"
    if PAGINATION_FIELDS & set(fields):
        detail += "page と page_size は1以上の整数で指定してください。"
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=400)


def http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)
