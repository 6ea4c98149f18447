"""Form fields that read what Japanese users type: every number, code, phone, address, date and
time goes through core.text.normalise (NFKC) once, before it is checked, so ０１７９－２０－１１１１,
１，０００, ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ, 令和元年５月１日 and ９：３０ are accepted as typed.

Forms use these instead of Django's own; a test walks every form of the project to keep it so.
"""

import re

from django import forms

from renkei.core.dates import parse_date
from renkei.core.text import ParseError, normalise, whole_number


class TypedDateInput(forms.TextInput):
    """A date as clerks type it (令和8年4月1日, R8.4.1, 2026/4/1, full width) in a text box, and
    beside it the browser's calendar, without JavaScript: the server takes the calendar's day when
    it was changed from the one the page showed (the hidden `<name>_was`), else what was typed."""

    template_name = "core/widgets/typed_date.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "placeholder": "例: 令和8年4月1日", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            day = value if hasattr(value, "isoformat") else parse_date(value) if value else None
        except ParseError:
            day = None
        context["widget"]["iso"] = day.isoformat() if day else ""
        context["widget"]["calendar_label"] = "カレンダーから選ぶ"
        return context

    def value_from_datadict(self, data, files, name):
        typed, picked, was = data.get(name, ""), data.get(f"{name}_calendar", ""), data.get(f"{name}_was", "")
        if picked and picked != was:
            return picked
        return typed

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_calendar" not in data


class DateField(forms.CharField):
    """2018-04-01, 2018/4/1, ２０１８／４／１, 平成30年4月1日, H30.4.1 … with one message for a
    date that is wrong (「2019年2月30日は存在しない日付です」) and stated bounds. Typed in a text
    box, or picked on the calendar beside it (TypedDateInput)."""

    widget = TypedDateInput

    def to_python(self, value):
        if hasattr(value, "isoformat"):
            return value
        try:
            return parse_date(value)
        except ParseError as error:
            raise forms.ValidationError(str(error)) from None

    def prepare_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class TimeField(forms.TimeField):
    """9:30, ９：３０."""

    def to_python(self, value):
        return super().to_python(normalise(value) if isinstance(value, str) else value)


class DateTimeField(forms.DateTimeField):
    def to_python(self, value):
        return super().to_python(normalise(value) if isinstance(value, str) else value)


class IntegerField(forms.IntegerField):
    """A whole number as people type it (core.text.whole_number): １２, 1,000, ５５，０００，０００,
    5,500万, 30,000,000円; ① and ² are refused, not read as 1 and 2."""

    default_error_messages = {"invalid": "数字で入力してください（例: 1200）。"}
    # A text box, not type=number: a browser's number box refuses 「5,500万」 and 「1,200」 as typed
    # (and empties the field without a word); a phone still offers its digit keys.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, *args, unit: str = "", **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                return whole_number(value, label=str(self.label or "数"), unit=self.unit)
            except ParseError as error:
                raise forms.ValidationError(str(error), code="invalid") from error
        return super().to_python(value)


class EmailField(forms.EmailField):
    def to_python(self, value):
        return super().to_python(normalise(value) if isinstance(value, str) else value)


PHONE = re.compile(r"^[0-9()+\- ]+$")


class ContactField(forms.CharField):
    """A name with a number, as people write it (防災課 山田 ０３－５２１０－９７３８): digits, dashes and
    brackets folded to half-width (NFKC, core.text.normalise) so the number fits a phone's screen
    and pages can link it (the `phones` filter)."""

    def to_python(self, value):
        return normalise(super().to_python(value))


class PhoneField(forms.CharField):
    """A Japanese number with its area code, as people write it: 03-5210-9910, ０３（５２１０）９９１０."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and (not PHONE.match(value) or not 10 <= sum(c.isdigit() for c in value) <= 11):
            raise forms.ValidationError("電話番号は市外局番から入力してください（例: 03-5210-9910）。")
