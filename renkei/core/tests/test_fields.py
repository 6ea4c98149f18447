"""What Japanese users type is read as they type it, in every form of the project."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms

import renkei
from renkei.core import fields


def cleaned(field, value):
    return field.clean(value)


def errors(field, value) -> list[str]:
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(value)
    return caught.value.messages


@pytest.mark.parametrize("typed", ["2019-05-01", "２０１９／５／１", "令和元年５月１日", "R1.5.1", "2019年5月1日"])
def test_a_date_is_read_however_it_is_written(typed):
    assert cleaned(fields.DateField(), typed) == dt.date(2019, 5, 1)


def test_an_impossible_date_gets_one_message_that_names_it():
    assert errors(fields.DateField(), "2019/2/30") == ["2019年2月30日は存在しない日付です。"]


@pytest.mark.parametrize("typed,number", [("１２", 12), ("1,000", 1000), ("５５，０００，０００", 55_000_000), (" 7 ", 7),
                                          ("30,000,000円", 30_000_000), ("5,500万", 55_000_000), ("1億2,000万", 120_000_000)])
def test_numbers_accept_full_width_digits_thousands_separators_and_man_oku(typed, number):
    assert cleaned(fields.IntegerField(), typed) == number


@pytest.mark.parametrize("typed", ["²", "①", "፩", "٣"])
def test_digits_of_other_kinds_are_refused_not_read(typed):
    assert errors(fields.IntegerField(label="金額"), typed) == ["金額は半角か全角の数字で書いてください（例: 1,200）。"]


def test_a_number_past_any_amount_is_refused():
    assert errors(fields.IntegerField(label="人数"), "100000000000000000000") == ["人数が大きすぎます。"]


def test_a_word_is_not_a_number():
    assert errors(fields.IntegerField(), "五百") == ["数は数字で書いてください（例: 1,200）。"]


def test_a_full_width_address_is_an_address():
    assert cleaned(fields.EmailField(), "ｋｉｋａｋｕ＠ｔｏｗｎ．ａｔｓｕｍａ．ｌｇ．ｊｐ") == "kikaku@town.atsuma.lg.jp"


@pytest.mark.parametrize("typed,stored", [
    ("０１７９－２０－１１１１", "0179-20-1111"),
    ("０３（５２１０）９９１０", "03(5210)9910"),
    ("03−5210−9910", "03-5210-9910"),
    ("09012345678", "09012345678"),
])
def test_phone_numbers_as_people_write_them(typed, stored):
    assert cleaned(fields.PhoneField(), typed) == stored


@pytest.mark.parametrize("typed", ["5210-9910", "03-5210-9910 内線123", "tel:0352109910"])
def test_a_number_without_its_area_code_or_with_words_is_refused_once(typed):
    assert errors(fields.PhoneField(), typed) == ["電話番号は市外局番から入力してください（例: 03-5210-9910）。"]


def test_times_accept_full_width():
    assert cleaned(fields.TimeField(), "９：３０") == dt.time(9, 30)


STOCK = {forms.DateField, forms.IntegerField, forms.EmailField, forms.DateTimeField, forms.TimeField,
         forms.DecimalField, forms.FloatField}


def project_forms():
    for module in pkgutil.walk_packages(renkei.__path__, "renkei."):
        if module.name.endswith(".forms") or module.name.endswith("_forms"):
            importlib.import_module(module.name)
    seen, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("renkei.") and ".tests" not in cls.__module__:
            seen.append(cls)
    return seen


def test_every_form_of_the_project_reads_typed_values_through_core_fields():
    found = project_forms()
    assert len(found) > 20
    stock = [f"{cls.__module__}.{cls.__name__}.{name}: {type(field).__name__}"
             for cls in found for name, field in getattr(cls, "base_fields", {}).items() if type(field) in STOCK]
    assert stock == []


def test_a_number_box_takes_what_people_type_not_only_digits():
    """A browser's type=number box drops 「5,500万」 and 「1,200」 without a word: every number of the
    project is a text box with the phone's digit keys, read by whole_number."""
    from django import forms as django_forms

    from renkei.disasters.forms import FundForm

    boxes = [f"{cls.__name__}.{name}" for cls in project_forms() for name, field in getattr(cls, "base_fields", {}).items()
             if isinstance(field.widget, django_forms.NumberInput)]
    assert boxes == []
    html = str(FundForm()["amount_yen"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert FundForm().fields["amount_yen"].clean("5,500万") == 55_000_000


def test_a_date_is_typed_as_clerks_write_it_or_picked_on_the_calendar_beside_it():
    """Every date field is a text box (令和8年4月1日, R8.4.1, 2026/4/1, full width) with the browser's
    calendar beside it, no JavaScript: a day picked on the calendar wins only when it was changed."""
    from django import forms as django_forms

    from renkei.core.fields import TypedDateInput
    from renkei.disasters.forms import DecisionForm

    pickers = [f"{cls.__name__}.{name}" for cls in project_forms() for name, field in getattr(cls, "base_fields", {}).items()
               if isinstance(field.widget, django_forms.DateInput) and not isinstance(field.widget, TypedDateInput)]
    assert pickers == []
    html = str(DecisionForm(initial={"decided_on": "2026-04-01"})["decided_on"])
    assert 'type="text" name="decided_on" value="2026-04-01"' in html
    assert ('type="date" class="typed-date__calendar" name="decided_on_calendar" id="id_decided_on_calendar" '
            'value="2026-04-01"') in html
    assert 'name="decided_on_was" value="2026-04-01"' in html and "aria-label=\"カレンダーから選ぶ\"" in html

    def day(**posted):
        form = DecisionForm({"body": "chair", "kind": "report", "title": "第1報", **posted})
        assert form.is_valid(), form.errors
        return form.cleaned_data["decided_on"].isoformat()

    for typed in ("令和８年４月１日", "R8.4.1", "2026/4/1", "２０２６－０４－０１"):
        assert day(decided_on=typed, decided_on_calendar="", decided_on_was="") == "2026-04-01"
    # typed anew, the calendar left as the page showed it: what was typed
    assert day(decided_on="令和8年4月2日", decided_on_calendar="2026-04-01", decided_on_was="2026-04-01") == "2026-04-02"
    # picked anew on the calendar: the calendar's day
    assert day(decided_on="2026-04-01", decided_on_calendar="2026-04-03", decided_on_was="2026-04-01") == "2026-04-03"
    # only the calendar used (a new record)
    assert day(decided_on="", decided_on_calendar="2026-04-04") == "2026-04-04"
