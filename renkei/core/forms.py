"""What every form page shares."""

from django import forms


def posted(request):
    """The data a form is bound to: the POST's, an empty POST included (which is then checked and
    refused with messages), or None when the page is only shown."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def status_of(*forms) -> int:
    """400 when a submitted form was refused, else 200: invalid input answers 400 everywhere."""
    return 400 if any(form.errors for form in forms) else 200


class InvalidIs400:
    """For class-based form views (Django's sign-in and password pages): a refused form is a 400."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class ImportForm(forms.Form):
    """取込: a spreadsheet and what it holds (a kind of renkei.core.imports)."""

    kind = forms.ChoiceField(label="取り込む内容", initial="relations", widget=forms.RadioSelect, required=False)
    file = forms.FileField(label="ファイル（Excel .xlsx または CSV）", help_text="10MBまで。1行目は列名（上の一覧のとおり）。")

    def __init__(self, *args, **kwargs):
        from renkei.core.imports import KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, f"{k.label}（1行目: {k.header}）") for k in KINDS.values()]

    def clean_kind(self):
        return self.cleaned_data["kind"] or "relations"
