"""The import (取込): upload a spreadsheet, read the check, confirm (renkei.core.imports)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core import imports
from renkei.core.access import SECRETARIAT, access
from renkei.core.forms import ImportForm, posted, posted_files
from renkei.core.models import ImportBatch


@access(SECRETARIAT)
def import_upload(request):
    form = ImportForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.check_file(actor=request.user, kind=form.cleaned_data["kind"], filename=upload.name,
                                       data=upload.read())
        except imports.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("secretariat:import_preview", pk=batch.pk)
    return render(request, "secretariat/import_upload.html", {"form": form, "kinds": imports.KINDS.values()},
                  status=400 if form.errors else 200)


@access(SECRETARIAT)
@require_safe
def import_preview(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    headings, rows = imports.preview(batch)
    return render(request, "secretariat/import_preview.html", {
        "batch": batch, "label": imports.label_of(batch), "headings": headings, "preview": rows,
        "preview_limit": imports.PREVIEW_ROWS, "errors": batch.errors[:500], "more_errors": len(batch.errors) > 500,
    })


@access(SECRETARIAT)
@require_POST
def import_confirm(request, pk: int):
    get_object_or_404(ImportBatch, pk=pk)
    try:
        batch, count = imports.apply_batch(actor=request.user, batch_pk=pk)
    except imports.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("secretariat:import_preview", pk=pk)
    messages.success(request, f"{count:,}件の{imports.label_of(batch)}を取り込みました。")
    return redirect(imports.landing(batch))
