import pytest

from renkei.testing import get_within

pytestmark = pytest.mark.django_db

URL = "/api/v1/local-governments"
FIELDS = {"code", "name", "kana", "prefecture_code", "prefecture_name", "kind", "lat", "lng"}


def test_it_lists_every_local_government_with_a_count(client):
    response = client.get(URL, {"page_size": 2000})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1788
    assert len(body["items"]) == 1788
    kinds = [item["kind"] for item in body["items"]]
    assert kinds.count("prefecture") == 47
    assert kinds.count("special_ward") == 23
    assert len(body["items"]) - kinds.count("prefecture") == 1741


def test_each_object_has_the_documented_fields(client):
    item = client.get(f"{URL}/131016").json()
    assert set(item) == FIELDS
    assert item == {
        "code": "131016", "name": "千代田区", "kana": "ちよだく", "prefecture_code": "13",
        "prefecture_name": "東京都", "kind": "special_ward", "lat": item["lat"], "lng": item["lng"],
    }


def test_it_is_paginated(client):
    first = client.get(URL).json()
    second = client.get(URL, {"page": 2}).json()
    assert len(first["items"]) == 100
    assert first["items"][0]["code"] == "010006"
    assert second["items"][0]["code"] != first["items"][0]["code"]
    assert first["count"] == second["count"] == 1788


def test_it_filters_by_prefecture(client):
    body = client.get(URL, {"prefecture": "13", "page_size": 100}).json()
    assert body["count"] == 63  # 東京都 + 23 wards + 26 cities + 5 towns + 8 villages
    assert {item["prefecture_code"] for item in body["items"]} == {"13"}


def test_it_filters_by_kind(client):
    body = client.get(URL, {"kind": "designated_city", "page_size": 100}).json()
    assert body["count"] == 20
    assert "浜松市" in {item["name"] for item in body["items"]}


def test_it_searches_name_and_kana(client):
    by_name = client.get(URL, {"q": "千代田"}).json()
    assert {item["code"] for item in by_name["items"]} == {"131016", "105236"}
    by_kana = client.get(URL, {"q": "あつま"}).json()
    assert "015814" in {item["code"] for item in by_kana["items"]}
    by_katakana = client.get(URL, {"q": "アツマ"}).json()
    assert by_katakana["count"] == by_kana["count"]


def test_filters_combine(client):
    body = client.get(URL, {"prefecture": "01", "kind": "village"}).json()
    assert body["count"] == 15


@pytest.mark.parametrize("params,fragment", [
    ({"prefecture": "48"}, "01〜47"),
    ({"prefecture": "tokyo"}, "01〜47"),
    ({"kind": "ward"}, "special_ward"),
    ({"page": "x"}, "page"),
    ({"page": "0"}, "page"),
    ({"page_size": "-1"}, "page_size"),
])
def test_bad_filters_are_400_with_a_message(client, params, fragment):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_unknown_code_is_404(client):
    response = client.get(f"{URL}/123455")  # valid check digit, no such body
    assert response.status_code == 404
    assert "123455" in response.json()["detail"]


def test_a_code_whose_check_digit_is_wrong_is_no_local_government(client):
    response = client.get(f"{URL}/131017")  # six digits, as the document allows: there is none
    assert response.status_code == 404 and "検査数字" in response.json()["detail"]


@pytest.mark.parametrize("code,fragment", [("13101", "6桁"), ("abcdef", "6桁")])
def test_malformed_code_is_400(client, code, fragment):
    response = client.get(f"{URL}/{code}")
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_a_full_width_code_is_read_as_typed(client):
    response = client.get(f"{URL}/１３１０１６")
    assert response.status_code == 200
    assert response.json()["code"] == "131016"


def test_json_is_utf8_not_escaped(client):
    response = client.get(f"{URL}/131016")
    assert "千代田区".encode() in response.content


def test_list_runs_a_constant_number_of_queries(client):
    # count + page with prefectures joined
    get_within(client, URL, data={"page_size": 2000}, queries=2, contains='"count": 1788')


def test_openapi_document_describes_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/local-governments" in document["paths"]
    assert "/api/v1/local-governments/{code}" in document["paths"]
    parameters = {p["name"] for p in document["paths"]["/api/v1/local-governments"]["get"]["parameters"]}
    assert {"prefecture", "kind", "q", "page", "page_size"} <= parameters


def test_a_page_past_any_database_offset_is_400_not_500(client):
    response = client.get(URL, {"page": "4611686018427387903"})
    assert response.status_code == 400 and "page は1〜1,000,000" in response.json()["detail"]
    document = client.get("/api/v1/openapi.json").json()
    page = next(p for p in document["paths"][URL]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 1_000_000


@pytest.mark.parametrize("path,name,value", [
    (URL, "kind", ""), (URL, "prefecture", ""), (URL, "prefecture", "48"),
    ("/api/v1/stats", "as_of", ""), ("/api/v1/stats", "as_of", "1899-12-31"),
    ("/api/v1/relations", "ward", "131017"), ("/api/v1/relations", "as_of", "2018-1-1"),
])
def test_what_the_document_refuses_the_api_refuses_and_says_why(client, path, name, value):
    """The OpenAPI document says exactly what each parameter accepts: a value it refuses is a 400
    with a message, and a value it allows (the test's other cases) gets an answer."""
    import re

    document = client.get("/api/v1/openapi.json").json()
    schema = next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name)["schema"]
    allowed = (value in schema["enum"]) if "enum" in schema else bool(re.search(schema["pattern"], value))
    assert not allowed, schema
    response = client.get(path, {name: value})
    assert response.status_code == 400 and name in response.json()["detail"]


def test_every_code_the_document_allows_is_answered_200_or_404(client):
    import re

    document = client.get("/api/v1/openapi.json").json()
    pattern = document["paths"][f"{URL}/{{code}}"]["get"]["parameters"][0]["schema"]["pattern"]
    for code, status in (("000000", 404), ("999999", 404), ("１３１０１６", 200), ("131017", 404), ("0", 400)):
        assert bool(re.search(pattern, code)) == (status != 400), code
        assert client.get(f"{URL}/{code}").status_code == status, code


@pytest.mark.parametrize("url", ["/api/v1/relations?kind=%00", "/api/v1/local-governments?q=a%00b",
                                 "/search/?q=%00", "/board/search/?q=%00"])
def test_a_nul_character_is_a_400_on_either_database(client, url):
    response = client.get(url)
    assert response.status_code == 400 and "使えない文字" in response.content.decode()
