import datetime as dt
import re
import unicodedata

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from renkei.api.base import CODE_PATTERN, BadRequest, Pagination, described
from renkei.matching.selectors import as_row, public_wishes

router = Router(tags=["matching"])


class WishOut(Schema):
    id: int
    code: str
    name: str
    title: str
    kind: str
    offers: list[str]
    seeks: list[str]
    forms: list[str]
    regions: list[str]
    sizes: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None
    text: str
    updated_on: dt.date


class ErrorOut(Schema):
    detail: str


@router.get("/wishes", response={200: list[WishOut], 400: ErrorOut}, summary="連携希望（公開されたもの）",
            description="会員自治体・特別区が公開した、募集中の連携希望。担当者の名前は含みません。code（団体コード）で絞り込めます。")
@paginate(Pagination)
def wishes(request, code: described(pattern=CODE_PATTERN) = Query(None, description="団体コード（6桁）")):
    queryset = public_wishes()
    if code is not None:
        code = unicodedata.normalize("NFKC", code)
        if not re.fullmatch(r"[0-9]{6}", code):
            raise BadRequest(f"code「{code[:10]}」は団体コード（6桁の数字）で指定してください。")
        queryset = queryset.filter(body_id=code)  # a code no body has: no wishes
    return [as_row(wish) for wish in queryset]
