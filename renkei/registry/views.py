"""The registry's pages: the list of relations (public), and editing them (ward staff, secretariat)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from renkei.core.access import PUBLIC, SECRETARIAT, WARD_STAFF_OR_SECRETARIAT, access, allows
from renkei.core.dates import parse_iso_date
from renkei.core.pagination import paginate
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.municipalities.models import LocalGovernment
from renkei.registry import imports, services
from renkei.registry.forms import RelationForm
from renkei.registry.models import Association, CooperationField, ImportBatch, Relation, RelationKind


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
        day = parse_iso_date(as_of)
        if day is None:
            errors.append(f"日付「{as_of[:20]}」は 2018-10-01 のように年-月-日で指定してください。")
        else:
            queryset = queryset.in_force_on(day)
    return queryset.order_by("ward_id", "municipality_id", "started_on"), errors, values


@access(PUBLIC)
@require_GET
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
    }, status=400 if errors else 200)


def _own_ward(user):
    return None if user.is_secretariat else user.local_government


@access(WARD_STAFF_OR_SECRETARIAT)
def relation_new(request):
    form = RelationForm(request.POST or None, ward=_own_ward(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            relation = services.create_relation(actor=request.user, **form.cleaned_data)
        except services.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{relation}を登録しました。")
            return redirect(f"/relations/?ward={relation.ward_id}")
    return render(request, "registry/relation_form.html", {"form": form, "title": "交流を登録する"})


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
    form = RelationForm(request.POST or None, initial=initial, ward=_own_ward(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_relation(actor=request.user, relation=relation, **form.cleaned_data)
        except services.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "交流を更新しました。")
            return redirect(f"/relations/?ward={relation.ward_id}")
    return render(request, "registry/relation_form.html", {"form": form, "title": "交流を変更する",
                                                           "relation": relation})


@access(WARD_STAFF_OR_SECRETARIAT)
@require_POST
def relation_delete(request, pk: int):
    relation = _editable(request, pk)
    services.delete_relation(actor=request.user, relation=relation)
    messages.success(request, "交流を削除しました。")
    return redirect(f"/relations/?ward={relation.ward_id}")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="取り込む内容", choices=ImportBatch.Kind.choices, initial=ImportBatch.Kind.RELATIONS,
                             widget=forms.RadioSelect, required=False)

    def clean_kind(self):
        return self.cleaned_data["kind"] or ImportBatch.Kind.RELATIONS
    file = forms.FileField(label="ファイル（Excel .xlsx または CSV）",
                           help_text="1行目は列名: 特別区, 自治体, 種別, 分野, 開始日, 終了日, 備考。10MBまで。")


@access(SECRETARIAT)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", f"ファイルが大きすぎます（{upload.size // 1024 // 1024}MB）。10MBまでにしてください。")
        else:
            check_rows, _ = imports.KINDS[form.cleaned_data["kind"]]
            try:
                checked = check_rows(imports.read_table(upload.name, upload.read()))
            except imports.ImportRefused as error:
                form.add_error("file", str(error))
            else:
                errors = [{"row": e.row, "column": e.column, "message": e.message} for e in checked.errors]
                batch = ImportBatch.objects.create(
                    kind=form.cleaned_data["kind"], filename=upload.name[:255], uploaded_by=request.user,
                    total=checked.total, rows=checked.rows, errors=errors)
                return redirect("registry:import_preview", pk=batch.pk)
    return render(request, "registry/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@access(SECRETARIAT)
def import_preview(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    rows = batch.rows[:200]
    lgs = LocalGovernment.objects.select_related("prefecture").in_bulk(
        {r["municipality"] for r in rows} | {r["ward"] for r in rows if "ward" in r})
    if batch.kind == ImportBatch.Kind.RELATIONS:
        kinds = RelationKind.objects.in_bulk()
        preview = [{"row": r["row"], "first": lgs[r["ward"]].name, "municipality": lgs[r["municipality"]].full_name,
                    "kind": kinds[r["kind"]].name, "start": r["started_on"], "end": r["ended_on"]} for r in rows]
    else:
        associations = Association.objects.in_bulk({r["association"] for r in rows})
        preview = [{"row": r["row"], "first": associations[r["association"]].name,
                    "municipality": lgs[r["municipality"]].full_name, "kind": "", "start": r["joined_on"],
                    "end": r["left_on"]} for r in rows]
    return render(request, "registry/import_preview.html", {
        "batch": batch, "preview": preview, "errors": batch.errors[:500], "more_errors": len(batch.errors) > 500,
    })


@access(SECRETARIAT)
@require_POST
def import_confirm(request, pk: int):
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=pk)
        if batch.status != ImportBatch.Status.CHECKED or batch.errors or not batch.rows:
            messages.error(request, "この取込は実行できません（エラーがあるか、取込済みです）。")
            return redirect("registry:import_preview", pk=pk)
        _, apply_rows = imports.KINDS[batch.kind]
        try:
            count = apply_rows(batch.rows, actor=request.user, filename=batch.filename)
        except imports.ImportRefused as error:
            messages.error(request, str(error))
            return redirect("registry:import_preview", pk=pk)
        batch.status = ImportBatch.Status.APPLIED
        batch.save(update_fields=["status"])
    messages.success(request, f"{count:,}件の{batch.get_kind_display()}を取り込みました。")
    return redirect("registry:relation_list")
