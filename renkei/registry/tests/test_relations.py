"""Keeping relations: ward staff their own ward's, the secretariat all; every change audited."""

import datetime as dt

import pytest

from renkei.core.dates import parse_date
from renkei.core.models import AuditEntry
from renkei.core.text import ParseError
from renkei.municipalities.names import resolve_local_government
from renkei.registry.models import CooperationField, Relation, RelationKind
from renkei.testing import get_within, sign_in

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    kind = RelationKind.objects.get(name="友好都市・姉妹都市")
    data = {"ward": "131016", "municipality": "北海道厚真町", "kind": kind.pk,
            "fields": [CooperationField.objects.get(name="観光").pk], "started_on": "平成27年4月1日",
            "ended_on": "", "note": ""}
    return data | overrides


def test_ward_staff_record_their_wards_relation(client, world):
    sign_in(client, world.ward)
    response = client.post("/relations/new/", form_data())
    assert response.status_code == 302
    relation = Relation.objects.get()
    assert (relation.ward_id, relation.municipality_id, relation.started_on) == ("131016", "015814", dt.date(2015, 4, 1))
    entry = AuditEntry.objects.get(action="registry.relation.created")
    assert entry.actor == world.ward and entry.changes["fields"] == [None, ["観光"]]
    listing = client.get("/relations/", {"ward": "131016"}).content.decode()
    assert "北海道厚真町" in listing and "平成27年4月1日" in listing


def test_ward_staff_cannot_record_another_wards_relation(client, world):
    sign_in(client, world.ward)
    response = client.post("/relations/new/", form_data(ward="131024"))
    assert response.status_code == 400 and not Relation.objects.exists()
    assert "選択したものは候補にありません" in response.content.decode()


def test_member_staff_cannot_edit_the_registry(client, world):
    sign_in(client, world.member)
    assert client.post("/relations/new/", form_data()).status_code == 403


def test_edits_are_audited_with_the_changed_fields(client, world):
    sign_in(client, world.secretariat)
    client.post("/relations/new/", form_data())
    relation = Relation.objects.get()
    client.post(f"/relations/{relation.pk}/edit/", form_data(ended_on="2020-03-31", note="終了"))
    entry = AuditEntry.objects.get(action="registry.relation.changed")
    assert entry.changes["ended_on"] == [None, "2020-03-31"] and entry.changes["note"] == ["", "終了"]


def test_another_wards_staff_cannot_change_it(client, world):
    from renkei.testing import make_staff

    sign_in(client, world.secretariat)
    client.post("/relations/new/", form_data())
    relation = Relation.objects.get()
    other_ward = make_staff("131024", "lead@city.chuo.lg.jp", lead=True)
    sign_in(client, other_ward)
    assert client.get(f"/relations/{relation.pk}/edit/").status_code == 403
    assert client.post(f"/relations/{relation.pk}/delete/").status_code == 403
    assert Relation.objects.filter(pk=relation.pk).exists()


@pytest.mark.parametrize("overrides,fragment", [
    ({"municipality": "府中市"}, "複数あります"),
    ({"municipality": "千代田区"}, "特別区以外"),
    ({"started_on": "2018-04-01", "ended_on": "2018-03-01"}, "開始日より後"),
    ({"started_on": "そのうち"}, "読み取れません"),
    ({"started_on": ""}, "開始日"),
])
def test_bad_input_is_explained_and_writes_nothing(client, world, overrides, fragment):
    sign_in(client, world.secretariat)
    response = client.post("/relations/new/", form_data(**overrides))
    assert response.status_code == 400 and fragment in response.content.decode()
    assert not Relation.objects.exists()


def test_a_duplicate_is_refused(client, world):
    sign_in(client, world.secretariat)
    client.post("/relations/new/", form_data())
    response = client.post("/relations/new/", form_data())
    assert "すでに登録されています" in response.content.decode() and Relation.objects.count() == 1


def test_the_list_filters_and_runs_a_constant_number_of_queries(client, world):
    kind = RelationKind.objects.first()
    for code in ("015814", "012025", "022012"):
        relation = Relation.objects.create(ward_id="131016", municipality_id=code, kind=kind, started_on=dt.date(2015, 4, 1))
        relation.fields.set(CooperationField.objects.all()[:2])
    # Two of them say, while the relations are not all recorded, what 数字で見る prints instead.
    page = get_within(client, "/relations/", queries=10, contains="北海道厚真町").content.decode()
    assert page.count("<th scope=\"row\"><a href=\"/local-governments/") == 3
    assert "青森県青森市" in client.get("/relations/", {"prefecture": "02"}).content.decode()
    assert "北海道厚真町" not in client.get("/relations/", {"prefecture": "02"}).content.decode()
    assert client.get("/relations/", {"as_of": "2015-02-30"}).status_code == 400


@pytest.mark.parametrize("text,expected", [
    ("2018-04-01", dt.date(2018, 4, 1)), ("2018/4/1", dt.date(2018, 4, 1)), ("２０１８年４月１日", dt.date(2018, 4, 1)),
    ("平成30年4月1日", dt.date(2018, 4, 1)), ("H30.4.1", dt.date(2018, 4, 1)), ("令和元年5月1日", dt.date(2019, 5, 1)),
    ("R2.1.1", dt.date(2020, 1, 1)), ("", None),
])
def test_dates_as_offices_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["平成31年5月1日", "令和元年4月30日", "2018-02-30", "来年"])
def test_dates_that_do_not_exist_are_refused(text):
    with pytest.raises(ParseError):
        parse_date(text)


def test_local_governments_by_code_or_name():
    assert resolve_local_government("01581").code == "015814"  # without the check digit
    assert resolve_local_government("あつまちょう").code == "015814"
    assert resolve_local_government("東京都府中市").code == "132063"
    with pytest.raises(ParseError, match="検査数字"):
        resolve_local_government("015815")
