"""The registry's pages: the list of relations (public), and editing them (ward staff, secretariat)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from renkei.core.access import PUBLIC, WARD_STAFF_OR_SECRETARIAT, access, allows
from renkei.core.confirm import confirmation
from renkei.core.dates import date_from_query
from renkei.core.forms import posted, status_of
from renkei.core.pagination import paginate
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.municipalities.models import LocalGovernment
from renkei.registry import selectors, services
from renkei.registry.forms import RelationForm
from renkei.registry.models import CooperationField, Relation, RelationKind


def filtered_relations(params):
    """Relations filtered by ward, prefecture, kind and date; returns (queryset, errors, values)."""
    queryset = Relation.objects.select_related("ward", "municipality__prefecture", "kind").prefetch_related(
        Prefetch("fields", queryset=CooperationField.objects.order_by("position")))
    errors, values = [], {}
    ward = params.get("ward", "").strip()
    if ward:
        values["ward"] = ward
        queryset = queryset.filter(ward_id=ward)
    prefecture = params.get("prefecture", "").strip()
    if prefecture:
        values["prefecture"] = prefecture
        if is_valid_prefecture_code(prefecture):
            queryset = queryset.filter(municipality__code__startswith=prefecture)
        else:
            errors.append("都道府県の指定が正しくありません。")
    kind = params.get("kind", "").strip()
    if kind:
        values["kind"] = kind
        queryset = queryset.filter(kind_id=kind) if kind.isdigit() else queryset.none()
    as_of = params.get("as_of", "").strip()
    if as_of:
        values["as_of"] = as_of
        day, error = date_from_query(as_of)
        if day is None:
            errors.append(error)
        else:
            queryset = queryset.in_force_on(day)
    return queryset.order_by("ward_id", "municipality_id", "started_on"), errors, values


@access(PUBLIC)
@require_safe
def relation_list(request):
    queryset, errors, values = filtered_relations(request.GET)
    page = paginate(request, queryset, per_page=50)
    query = "&".join(f"{k}={v}" for k, v in values.items())
    return render(request, "registry/relation_list.html", {
        "page": page, "errors": errors, "values": values, "query": query,
        "wards": LocalGovernment.objects.special_wards().order_by("code"),
        "prefectures": LocalGovernment.objects.prefectures(),
        "kinds": RelationKind.objects.all(),
        "can_edit": allows(WARD_STAFF_OR_SECRETARIAT, request.user),
        "records_note": selectors.exchange_records_note(timezone.localdate()),
    }, status=400 if errors else 200)


def _own_ward(user):
    return None if user.is_secretariat else user.local_government


@access(WARD_STAFF_OR_SECRETARIAT)
def relation_new(request):
    form = RelationForm(posted(request), ward=_own_ward(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            relation = services.create_relation(actor=request.user, **form.cleaned_data)
        except services.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{relation}を登録しました。")
            return redirect(f"/relations/?ward={relation.ward_id}")
    return render(request, "registry/relation_form.html", {"form": form, "title": "交流を登録する"},
                  status=status_of(form))


def _editable(request, pk: int) -> Relation:
    relation = get_object_or_404(Relation.objects.select_related("ward", "municipality__prefecture"), pk=pk)
    if not services.can_edit_relations_of(request.user, relation.ward):
        raise PermissionDenied("この交流は、相手の区の担当者または事務局のみ変更できます。")
    return relation


@access(WARD_STAFF_OR_SECRETARIAT)
def relation_edit(request, pk: int):
    relation = _editable(request, pk)
    initial = {"ward": relation.ward_id, "municipality": relation.municipality.full_name, "kind": relation.kind_id,
               "fields": list(relation.fields.all()), "started_on": relation.started_on.isoformat(),
               "ended_on": relation.ended_on.isoformat() if relation.ended_on else "", "note": relation.note}
    form = RelationForm(posted(request), initial=initial, ward=_own_ward(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_relation(actor=request.user, relation=relation, **form.cleaned_data)
        except services.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "交流を更新しました。")
            return redirect(f"/relations/?ward={relation.ward_id}")
    return render(request, "registry/relation_form.html", {"form": form, "title": "交流を変更する",
                                                           "relation": relation}, status=status_of(form))


@access(WARD_STAFF_OR_SECRETARIAT)
@require_http_methods(["GET", "POST"])
def relation_delete(request, pk: int):
    relation = _editable(request, pk)
    if request.method == "GET":
        return confirmation(request, title="交流を削除する", what=f"{relation}を削除します。",
                            consequences=["交流が終わった場合は、削除せずに終了日を入れてください（数字で見るの過去の値が変わりません）。"],
                            action="削除する", cancel=reverse("registry:relation_edit", args=[relation.pk]),
                            restorable=True)
    services.delete_relation(actor=request.user, relation=relation)
    messages.success(request, f"交流を削除しました。{settings.TRASH_DAYS}日間は事務局が元に戻せます。")
    return redirect(f"/relations/?ward={relation.ward_id}")
