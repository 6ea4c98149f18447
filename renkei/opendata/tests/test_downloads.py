import codecs
import csv
import datetime as dt
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from renkei.opendata.formats import to_csv
from renkei.registry.models import Relation, RelationKind
from renkei.testing import pasted_text

pytestmark = pytest.mark.django_db


def test_the_index_states_the_licence(client):
    page = client.get("/opendata/").content.decode()
    assert "CC BY 4.0" in page and "/opendata/agreements.csv" in page


def test_csv_is_utf8_with_bom_and_the_code_first(client):
    response = client.get("/opendata/agreements.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["団体コード", "都道府県名", "団体名"]
    assert len({r[0] for r in rows[1:]}) == 321


def test_cp932_for_excel_users(client):
    response = client.get("/opendata/statistics.csv", {"encoding": "cp932"})
    assert response["Content-Type"] == "text/csv; charset=Windows-31J"  # the IANA name of CP932
    text = response.content.decode("cp932")
    assert text.startswith("年度,") and "平成30年度" in text
    RelationKind.objects.create(name="㈱との連携")
    Relation.objects.create(ward_id="131016", municipality_id="015814", kind=RelationKind.objects.get(name="㈱との連携"),
                            started_on=dt.date(2015, 4, 1))
    labelled = client.get("/opendata/relations.csv", {"encoding": "cp932"})
    assert labelled["Content-Type"].endswith("charset=Windows-31J")
    assert "㈱との連携" in labelled.content.decode("cp932")  # Windows-31J is CP932 (Python's name)
    with pytest.raises(UnicodeDecodeError):
        labelled.content.decode("shift_jis")  # what the old label told a strict reader to use


def test_every_date_in_every_workbook_is_a_date_cell(client):
    """Excel sorts and filters them as dates: every column of days is date cells (a month given as
    a month, 2018-07, stays as written, beside its precision)."""
    from renkei.opendata.datasets import DATASETS

    checked = 0
    for slug, dataset in DATASETS.items():
        sheet = load_workbook(io.BytesIO(client.get(f"/opendata/{slug}.xlsx").content)).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        days = [i for i, key in enumerate(dataset.keys) if key.endswith(("_on", "_date", "as_of"))]
        for row in sheet.iter_rows(min_row=2):
            for i in days:
                value = row[i].value
                if value is None or (dataset.keys[i] == "started_on" and "started_on_precision" in dataset.keys
                                     and row[dataset.keys.index("started_on_precision")].value == "month"):
                    continue
                assert isinstance(value, dt.datetime) and row[i].is_date, (slug, header[i], value)
                checked += 1
    assert checked > 300


def test_characters_cp932_lacks_become_geta_and_are_counted():
    data, replaced = to_csv(["名前"], [["𠮷野家 😀"], ["髙橋"]], "cp932")
    assert data.decode("cp932").splitlines()[1] == "〓野家 〓"
    assert replaced == 2
    assert "髙橋" in data.decode("cp932")  # in CP932's extensions, kept


def test_formulas_are_written_as_text(client):
    kind = RelationKind.objects.create(name="=HYPERLINK(\"http://evil\")")
    Relation.objects.create(ward_id="131016", municipality_id="015814", kind=kind, started_on=dt.date(2015, 4, 1),
                            note="+SUM(A1:A2)")
    text = client.get("/opendata/relations.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+SUM(A1:A2)" in text
    workbook = load_workbook(io.BytesIO(client.get("/opendata/relations.xlsx").content))
    sheet = workbook.worksheets[0]
    row = [cell for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[0].value == "015814"
    assert row[5].data_type == "s" and row[5].value.startswith("=HYPERLINK")
    assert workbook["説明"]["B4"].value.startswith("クリエイティブ・コモンズ")


def test_json_carries_the_licence_and_records(client):
    document = json.loads(client.get("/opendata/statistics.json").content)
    assert document["license"].endswith("(CC BY 4.0)")
    assert document["records"][-1]["fiscal_year"] == 2018
    assert {r["basis"] for r in document["records"]} == {"published"}
    assert {r["reference_date"] for r in document["records"]} == {None}  # vol.1 prints no 基準日


def test_disasters_and_funds_say_what_the_source_says_no_more_no_less(client):
    disasters = {r["name"]: r for r in json.loads(client.get("/opendata/disasters.json").content)["records"]}
    rain = disasters["平成30年7月豪雨"]  # the newsletter gives the month
    assert (rain["started_on"], rain["started_on_precision"]) == ("2018-07", "month")
    kumamoto = disasters["平成28年熊本地震"]
    assert (kumamoto["started_on"], kumamoto["started_on_precision"]) == ("2016-04-14", "day")
    funds = json.loads(client.get("/opendata/funds.json").content)["records"]
    gien = [r for r in funds if r["disaster"] == "東日本大震災" and r["total_yen"] == 1_000_000_000]
    assert gien == [{"code": None, "recipient": None, "disaster": "東日本大震災", "kind": "義援金",
                     "total_yen": 1_000_000_000, "amount_yen": None, "payment": None}]  # no recipient printed
    assert sum(1 for r in funds if r["disaster"] == "平成28年熊本地震") == 2  # one row per recipient, as before


@pytest.mark.parametrize("url,status", [("/opendata/nothing.csv", 404), ("/opendata/relations.pdf", 404),
                                        ("/opendata/relations.csv?encoding=latin-1", 400)])
def test_unknown_datasets_or_formats_are_refused(client, url, status):
    assert client.get(url).status_code == status


PASTED = pasted_text()


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=PASTED, note=PASTED, name=PASTED)
def test_whatever_is_pasted_into_a_record_every_dataset_opens(client, kind, note, name):
    """Any Unicode in a relation's kind and note and a disaster's name, stored on this database:
    every dataset downloads in every format, and each workbook opens with the text cells as text."""
    from renkei.disasters.models import Disaster
    from renkei.opendata.datasets import DATASETS

    pasted, _ = RelationKind.objects.get_or_create(name=f"{kind[:40]}（貼付）")
    Relation.objects.update_or_create(ward_id="131016", municipality_id="015814", kind=pasted,
                                      started_on=dt.date(2015, 4, 1), defaults={"note": note})
    disaster = Disaster.objects.public().order_by("pk").first()
    Disaster.objects.filter(pk=disaster.pk).update(name=f"{name[:60]}{disaster.pk}")
    for slug in DATASETS:
        for extension in ("csv", "json"):
            assert client.get(f"/opendata/{slug}.{extension}").status_code == 200, (slug, extension)
        response = client.get(f"/opendata/{slug}.xlsx")
        assert response.status_code == 200, slug
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_catalogue_is_dcat_an_rdf_reader_takes_in(client):
    """CKAN's DCAT harvester reads RDF: rdflib parses the JSON-LD (its context inline, nothing
    fetched) into a dcat:Catalog whose every dataset has a title, a licence, a publisher and a
    download URL per format that answers."""
    from rdflib import RDF, Graph, Namespace
    from rdflib.namespace import DCTERMS

    from renkei.opendata.datasets import DATASETS

    dcat = Namespace("http://www.w3.org/ns/dcat#")
    response = client.get("/opendata/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    graph = Graph().parse(data=response.content, format="json-ld")
    (catalogue,) = graph.subjects(RDF.type, dcat.Catalog)
    datasets = set(graph.objects(catalogue, dcat.dataset))
    assert len(datasets) == len(DATASETS)
    for dataset in datasets:
        assert (dataset, RDF.type, dcat.Dataset) in graph
        assert graph.value(dataset, DCTERMS.title).language == "ja"
        assert str(graph.value(dataset, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/deed.ja"
        assert graph.value(dataset, DCTERMS.publisher) is not None
        urls = {str(graph.value(d, dcat.downloadURL)) for d in graph.objects(dataset, dcat.distribution)}
        assert len(urls) == 3
        for url in urls:
            assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
