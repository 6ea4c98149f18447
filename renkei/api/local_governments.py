from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from renkei.api.base import BadRequest, Pagination
from renkei.core.text import normalise
from renkei.municipalities.codes import is_valid_prefecture_code, lg_code_error
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
    request, prefecture: str | None = None, kind: str | None = None, q: str | None = None
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
)
def get_local_government(request, code: str):
    code = normalise(code)  # １３１０１６ as typed is 131016
    error = lg_code_error(code)
    if error:
        raise BadRequest(error)
    lg = LocalGovernment.objects.select_related("prefecture").filter(code=code).first()
    if lg is None:
        raise HttpError(404, f"団体コード「{code}」の地方公共団体はありません。")
    return lg
