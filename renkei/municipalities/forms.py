"""Form fields for local governments typed as clerks type them (renkei.municipalities.names)."""

import re

from django import forms

from renkei.core.text import ParseError
from renkei.municipalities.models import LocalGovernment
from renkei.municipalities.names import Names


class LocalGovernmentField(forms.CharField):
    """A local government typed as its 団体コード or its name (北海道厚真町, 厚真町, あつまちょう)."""

    def __init__(self, *args, wards_only: bool = False, **kwargs):
        self.wards_only = wards_only
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "団体コード（6桁）または名称（例: 北海道厚真町）")
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return Names().resolve(value, wards_only=self.wards_only)
        except ParseError as error:
            raise forms.ValidationError(str(error)) from None

    def prepare_value(self, value):
        return value.full_name if isinstance(value, LocalGovernment) else value


class LocalGovernmentsField(forms.CharField):
    """Several local governments, one per line or separated by 「、」."""

    widget = forms.Textarea(attrs={"rows": 3})
    most = 200

    def clean(self, value):
        value = super().clean(value)
        names = [n.strip() for n in re.split(r"[\n、,，]", value or "") if n.strip()]
        if len(names) > self.most:
            raise forms.ValidationError(f"{self.label or '自治体'}は{self.most}までにしてください（{len(names)}件あります）。")
        reader = Names(preload=len(names) > 10)
        found, errors = [], []
        for name in names:
            try:
                found.append(reader.resolve(name))
            except ParseError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(found))

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(lg.full_name if isinstance(lg, LocalGovernment) else str(lg) for lg in value)
        return value
