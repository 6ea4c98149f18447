"""The public JSON API (/api/v1/): one NinjaAPI; each app contributes a router."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, NinjaAPI, Path
from ninja.errors import HttpError, ValidationError
from ninja.pagination import PageNumberPagination
from pydantic import WithJsonSchema

from renkei.municipalities.codes import check_digit

# What each parameter accepts, said in the OpenAPI document exactly as the code checks it: a value
# the document allows gets an answer (200, or 404 for what does not exist), never a 400.
YEARS = (1900, 2100)
AS_OF_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"
PREFECTURE_PATTERN = r"^(0[1-9]|[1-3][0-9]|4[0-7])$"
CODE_PATTERN = r"^[0-9０-９]{6}$"  # full-width digits as typed are read as digits
WARD_CODES = [f"{n}{check_digit(str(n))}" for n in range(13101, 13124)]  # the 23 special wards
MAX_PAGE = 1_000_000
MAX_ID = 2**31 - 1


def described(**schema):
    """A text parameter whose document says exactly what it accepts; the view checks it and says
    in Japanese what is wrong (a 400), so the checks stay in the code and the document follows."""
    return Annotated[str | None, WithJsonSchema({"type": "string", **schema})]


AsOf = described(format="date", pattern=AS_OF_PATTERN)
Text = described(pattern=r"^[^\x00]*$")  # free text: anything but NUL, which every request refuses
PrefectureCode = described(pattern=PREFECTURE_PATTERN)
WardCode = described(enum=WARD_CODES)


def id_path(description: str):
    return Path(..., description=description, ge=1, le=MAX_ID)


class BadRequest(HttpError):
    def __init__(self, message: str):
        super().__init__(400, message)


def as_of_date(text: str):
    """?as_of=YYYY-MM-DD (ISO 8601, as the API's other dates): the date, or a 400 saying in
    Japanese what is wrong with it."""
    import datetime as dt
    import re

    from renkei.core.dates import date_from_query

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise BadRequest(f"as_of「{(text or '')[:20]}」は 2018-10-01 のように年-月-日（ISO 8601）で指定してください。")
    day, error = date_from_query(text, earliest=dt.date(YEARS[0], 1, 1), latest=dt.date(YEARS[1], 12, 31))
    if day is None:
        raise BadRequest(f"as_of: {error}")
    return day


class Pagination(PageNumberPagination):
    """?page=N&page_size=M; the response carries `count` and `items`."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=2000)

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
        detail += f"page は1〜{MAX_PAGE:,}、page_size は1〜2,000の整数で指定してください。"
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=400)


def http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)
