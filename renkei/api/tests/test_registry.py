import datetime as dt

import pytest

from renkei.registry.models import Relation, RelationKind
from renkei.testing import get_within

pytestmark = pytest.mark.django_db


def test_stats_by_fiscal_year_with_basis(client):
    years = client.get("/api/v1/stats").json()
    assert [y["fiscal_year"] for y in years] == [2015, 2016, 2017, 2018]
    assert [y["agreement_municipalities"] for y in years] == [0, 210, 236, 321]
    # vol.1 prints no 基準日: none is stated, and every figure is the year's printed one
    assert years[3]["label"] == "平成30年度" and [y["reference_date"] for y in years] == [None] * 4
    assert years[3]["basis"] == {"exchange_municipalities": "published", "member_municipalities": "published",
                                 "agreement_municipalities": "published", "total": "published"}
    assert years[3]["total"] == 984


def test_stats_as_of_a_date_are_figures_of_that_day(client):
    # Agreements are recorded completely and counted for the day; the other figures are the
    # latest printed ones whose fiscal year had ended (平成28年度), saying so — never 平成29年度's,
    # printed for a year not over, never a count of records that are not all there; and no 合計
    # made of a count and a printed figure.
    body = client.get("/api/v1/stats", {"as_of": "2017-10-01"}).json()
    assert body == {"as_of": "2017-10-01", "exchange_municipalities": 641, "member_municipalities": 197,
                    "agreement_municipalities": 236, "total": None,
                    "basis": {"exchange_municipalities": "published", "member_municipalities": "published",
                              "agreement_municipalities": "computed", "total": "not_combined"},
                    "published_for": {"exchange_municipalities": 2016, "member_municipalities": 2016,
                                      "agreement_municipalities": None, "total": None}}


@pytest.mark.parametrize("value,message", [
    ("2018-02-30", "2018年2月30日は存在しない日付です"), ("2018/10/01", "ISO 8601"), ("yesterday", "ISO 8601"),
    ("20181001", "ISO 8601"), ("", "ISO 8601"), ("1872-12-31", "範囲外です"),
])
def test_a_malformed_impossible_or_out_of_range_date_is_400(client, value, message):
    response = client.get("/api/v1/stats", {"as_of": value})
    assert response.status_code == 400 and message in response.json()["detail"]


def test_agreements_list_every_member_by_code(client):
    agreements = client.get("/api/v1/agreements").json()
    assert len(agreements) == 11
    hokkaido = agreements[0]
    assert hokkaido["association"] == "北海道町村会" and hokkaido["member_count"] == 144
    assert all(len(m["code"]) == 6 for m in hokkaido["members"])
    assert len({m["code"] for a in agreements for m in a["members"]}) == 321


def test_relations_filter_and_paginate(client, django_assert_max_num_queries):
    kind = RelationKind.objects.get(name="友好都市・姉妹都市")
    Relation.objects.create(ward_id="131016", municipality_id="015814", kind=kind, started_on=dt.date(2015, 4, 1))
    Relation.objects.create(ward_id="131024", municipality_id="012025", kind=kind, started_on=dt.date(2016, 4, 1),
                            ended_on=dt.date(2017, 4, 1))
    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/relations").json()
    assert body["count"] == 2
    assert body["items"][0]["code"] == "012025" and body["items"][0]["ward_code"] == "131024"
    assert client.get("/api/v1/relations", {"ward": "131016"}).json()["count"] == 1
    assert client.get("/api/v1/relations", {"as_of": "2018-01-01"}).json()["count"] == 1
    assert client.get("/api/v1/relations", {"prefecture": "48"}).status_code == 400


def test_partnerships(client):
    (partnership,) = client.get("/api/v1/partnerships").json()
    assert partnership["company"] == "第一生命保険株式会社" and len(partnership["fields"]) == 6


def test_the_openapi_document_describes_the_registry(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/stats", "/api/v1/agreements", "/api/v1/relations", "/api/v1/partnerships"} <= set(paths)


def test_agreements_take_a_constant_number_of_queries(client):
    # agreements, covered municipalities, listed members
    get_within(client, "/api/v1/agreements", queries=3, contains="北海道町村会")
