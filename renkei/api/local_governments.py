from typing import Annotated

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from renkei.api.base import CODE_PATTERN, BadRequest, Pagination, PrefectureCode, Text, described
from renkei.core.text import normalise
from renkei.municipalities.codes import LG_CODE_RE, is_valid_prefecture_code, lg_code_error
from renkei.municipalities.models import Kind, LocalGovernment

router = Router(tags=["local-governments"])


class LocalGovernmentOut(Schema):
    code: str
    name: str
    kana: str
    prefecture_code: str
    prefecture_name: str
    kind: str
    lat: float
    lng: float

    @staticmethod
    def resolve_prefecture_name(obj: LocalGovernment) -> str:
        return obj.prefecture.name


class ErrorOut(Schema):
    detail: str


@router.get(
    "/local-governments",
    response={200: list[LocalGovernmentOut], 400: ErrorOut},
    summary="地方公共団体の一覧",
    description="47都道府県と1,741市区町村。prefecture（2桁の都道府県コード）、kind、q（名称・よみの部分一致）で絞り込めます。",
)
@paginate(Pagination)
def list_local_governments(
    request, prefecture: PrefectureCode = Query(None, description="都道府県コード（01〜47の2桁）"),
    kind: described(enum=Kind.values) = Query(None, description="種別"),
    q: Text = Query(None, description="名称・よみの部分一致"),
):
    queryset = LocalGovernment.objects.select_related("prefecture")
    if prefecture is not None:
        if not is_valid_prefecture_code(prefecture):
            raise BadRequest(
                f"prefecture「{prefecture}」は都道府県コード（01〜47の2桁）で指定してください。"
            )
        queryset = queryset.in_prefecture(prefecture)
    if kind is not None:
        if kind not in Kind.values:
            raise BadRequest(f"kind「{kind}」は {', '.join(Kind.values)} のいずれかで指定してください。")
        queryset = queryset.filter(kind=kind)
    if q:
        queryset = queryset.search(q)
    return queryset.order_by("code")


@router.get(
    "/local-governments/{code}",
    response={200: LocalGovernmentOut, 400: ErrorOut, 404: ErrorOut},
    summary="地方公共団体",
    description="団体コード6桁（全角数字も可）。6桁目の検査数字が合わないコードの団体はないので 404 です。",
)
def get_local_government(request, code: Annotated[str, WithJsonSchema({"type": "string", "pattern": CODE_PATTERN})]):
    code = normalise(code)  # １３１０１６ as typed is 131016
    error = lg_code_error(code)
    if error and LG_CODE_RE.match(code):
        raise HttpError(404, error)  # six digits that no local government has
    if error:
        raise BadRequest(error)
    lg = LocalGovernment.objects.select_related("prefecture").filter(code=code).first()
    if lg is None:
        raise HttpError(404, f"団体コード「{code}」の地方公共団体はありません。")
    return lg
