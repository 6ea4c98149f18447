"""The registry's import (取込): upload a spreadsheet, read the check, confirm."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.forms import posted, posted_files
from renkei.registry import imports, selectors, services
from renkei.registry.forms import UploadForm
from renkei.registry.models import ImportBatch


@access(SECRETARIAT)
def import_upload(request):
    form = UploadForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.check_import(actor=request.user, kind=form.cleaned_data["kind"], filename=upload.name,
                                          data=upload.read())
        except imports.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("secretariat:import_preview", pk=batch.pk)
    return render(request, "secretariat/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@access(SECRETARIAT)
@require_safe
def import_preview(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    return render(request, "secretariat/import_preview.html", {
        "batch": batch, "preview": selectors.import_preview(batch), "errors": batch.errors[:500],
        "headings": imports.KINDS[batch.kind].headings,
        "more_errors": len(batch.errors) > 500,
    })


@access(SECRETARIAT)
@require_POST
def import_confirm(request, pk: int):
    get_object_or_404(ImportBatch, pk=pk)
    try:
        batch, count = services.apply_import(actor=request.user, batch_pk=pk)
    except imports.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("secretariat:import_preview", pk=pk)
    messages.success(request, f"{count:,}件の{batch.kind_label}を取り込みました。")
    return redirect("registry:relation_list")
