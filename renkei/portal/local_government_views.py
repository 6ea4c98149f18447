"""The public pages of every local government: by prefecture, and one page per 団体コード."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.core.errors import NotFound
from renkei.matching.selectors import public_wishes
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.municipalities.models import Kind, LocalGovernment
from renkei.portal import selectors
from renkei.registry.selectors import agreements_covering


@access(PUBLIC)
@require_safe
def index(request):
    """The 47 prefectures, with how many municipalities each has, in 団体コード order."""
    prefectures = LocalGovernment.objects.prefectures().annotate(
        municipality_count=Count("municipalities", filter=~Q(municipalities__kind=Kind.PREFECTURE))
    )
    return render(request, "portal/local_governments/index.html", {"prefectures": prefectures})


@access(PUBLIC)
@require_safe
def prefecture(request, prefecture_code: str):
    if not is_valid_prefecture_code(prefecture_code):
        raise NotFound(f"都道府県コード「{prefecture_code}」は01〜47の2桁で指定してください。")
    lgs = list(LocalGovernment.objects.in_prefecture(prefecture_code).order_by("code"))
    pref = next((lg for lg in lgs if lg.kind == Kind.PREFECTURE), None)
    if pref is None:
        raise NotFound("この都道府県のデータはまだ読み込まれていません。")
    groups = [
        (label, [lg for lg in lgs if lg.kind == kind])
        for kind, label in Kind.choices
        if kind != Kind.PREFECTURE
    ]
    return render(request, "portal/local_governments/prefecture.html", {
        "prefecture": pref,
        "groups": [(label, members) for label, members in groups if members],
        "municipality_count": len(lgs) - 1,
    })


@access(PUBLIC)
@require_safe
def detail(request, code: str):
    lg = LocalGovernment.objects.select_related("prefecture").by_code(code)
    return render(request, "portal/local_governments/detail.html", {
        "lg": lg,
        "agreements": agreements_covering(lg) if not lg.is_prefecture else [],
        "wishes": list(public_wishes().filter(body=lg)),
        **selectors.local_government_page(lg, request.user),
    })
