"""Keeping the registry's relations (ward staff their own ward's, the secretariat all); the public list
of them is the portal's (/relations/)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.core.access import WARD_STAFF_OR_SECRETARIAT, access
from renkei.core.confirm import confirmation
from renkei.core.forms import posted, status_of
from renkei.registry import services
from renkei.registry.forms import RelationForm
from renkei.registry.models import Relation


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
