"""Two safeguards every form that writes a record shares, so a tired clerk cannot break it:

- **Sent once**: a creation form carries a one-time token (`once`); sent twice — a double
  click, a reload, a second tab, two requests in the same second — it stores one record, and the
  second answer goes where the first went.
- **No lost edit**: an edit form carries the version it started from (`version`: the record's
  latest audit entry, since every write is audited). Saved after someone else changed the record,
  it is refused with a 409 that says what changed, when and by whom, the clerk's own input kept.

A form page calls `submit(request, form, record, write)`, which does both (or `prepare` before
checking the form and `save` to write); `Stale` carries the newer entries.
"""

import datetime as dt
import secrets

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils import timezone

from renkei.core.models import AuditEntry, SubmittedForm

KEPT = dt.timedelta(days=2)  # how long a sent token is remembered


class Stale(Exception):
    """The record changed since the form was opened."""

    def __init__(self, entries: list[AuditEntry], version: int):
        super().__init__("stale")
        self.entries = entries
        self.version = version

    def message(self) -> str:
        said = "、".join(f"{timezone.localtime(e.at):%m月%d日 %H:%M} {e.actor_repr}（{_changed(e)}）" for e in self.entries[:3])
        return (f"この画面を開いた後に、ほかの人がこの記録を変更しました: {said}。"
                "入力内容は残してあります。今の記録と見比べて、必要ならもう一度保存してください。")


def _changed(entry: AuditEntry) -> str:
    names = [name for name in entry.changes if name not in ("fund", "name")][:4]
    return "変更: " + "・".join(names) if names else entry.action


def version_of(record: models.Model) -> int:
    latest = (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(record),
                                        object_id=str(record.pk)).order_by("-pk").values_list("pk", flat=True).first())
    return latest or 0


def prepare(form: forms.BaseForm, record: models.Model | None) -> None:
    """The hidden fields: the version of the record edited, or a token for a new one."""
    if record is not None and record.pk:
        form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                    initial=version_of(record))
    else:
        form.fields["once"] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64,
                                              initial=lambda: secrets.token_urlsafe(24))


def save(form: forms.BaseForm, record: models.Model | None, write):
    """`write(cleaned_data)` (which returns the redirect) in one transaction with both safeguards."""
    data = dict(form.cleaned_data)
    token, version = data.pop("once", ""), data.pop("version", None)
    with transaction.atomic():
        if record is not None and record.pk:
            type(record)._default_manager.select_for_update().filter(pk=record.pk).exists()  # one save at a time
            if version is not None:
                newer = list(AuditEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk),
                    pk__gt=version).order_by("pk"))
                if newer:
                    raise Stale(newer, newer[-1].pk)
        if not token:
            return write(data)
        first = SubmittedForm.objects.filter(token=token).first()
        if first is not None:
            return redirect(first.location or "/")
        SubmittedForm.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
        try:
            with transaction.atomic():
                claim = SubmittedForm.objects.create(token=token)
        except IntegrityError:  # the same form, sent at the same moment, was stored by the other request
            first = SubmittedForm.objects.filter(token=token).first()
            return redirect(first.location if first and first.location else "/")
        response = write(data)
        if response.status_code in (301, 302, 303):
            claim.location = response["Location"][:500]
            claim.save(update_fields=["location"])
        return response


def refused(form: forms.BaseForm, stale: Stale) -> None:
    """The form shown again after a stale save: the message, and the version now current so that
    saving again (after checking) goes through."""
    form.add_error(None, stale.message())
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(stale.version)


def submit(request, form: forms.BaseForm, record: models.Model | None, write, *, refusals=()):
    """A form page's POST: the form checked and written with both safeguards. Returns the
    response once written, else None and the page's status (409 when stale; None: the form's).
    An exception of `refusals` is the service's message for the form (on its `field`, if any)."""
    prepare(form, record)
    if request.method != "POST" or not form.is_valid():
        return None, None
    try:
        return save(form, record, write), None
    except Stale as stale:
        refused(form, stale)
        return None, 409
    except refusals as error:
        field = getattr(error, "field", None)
        form.add_error(field if field in form.fields else None, str(error))
        return None, None
