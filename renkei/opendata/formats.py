"""Writing a table as CSV, XLSX or JSON, as the 自治体標準オープンデータセット conventions expect.

CSV is UTF-8 with a BOM by default (Excel opens it as UTF-8); CP932 is offered for older
Excel, and a character CP932 lacks (𠮷, ㈱ is fine, emoji are not) is written as 〓, the
geta mark Japanese typesetting uses for a missing character. Cells that a spreadsheet would
run as a formula are written as text.
"""

import codecs
import csv
import io
import json

from django.utils.translation import gettext_noop

from renkei.core import spreadsheets

LICENCE = gettext_noop("クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)")  # in the files as is; pages translate it
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
PUBLISHER = "特別区長会・公益財団法人特別区協議会"
FORMULA_STARTS = spreadsheets.FORMULA_STARTS
GETA = "〓"


def _geta(error: UnicodeEncodeError):
    return GETA * (error.end - error.start), error.end


codecs.register_error("renkei_geta", _geta)


def neutralise(value):
    """A text cell that would start a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(columns: list[str], rows, encoding: str = "utf-8") -> tuple[bytes, int]:
    """The CSV bytes, and how many characters were replaced by 〓 (CP932 only)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    text = buffer.getvalue()
    if encoding == "cp932":
        data = text.encode("cp932", errors="renkei_geta")
        replaced = data.decode("cp932").count(GETA) - text.count(GETA)
        return data, replaced
    return codecs.BOM_UTF8 + text.encode("utf-8"), 0


def to_xlsx(title: str, columns: list[str], rows, *, source: str) -> bytes:
    """The table on its sheet (typed cells: dates as dates, never a formula), and 説明."""
    about = [("データ", title), ("作成者", PUBLISHER), ("出典", source), ("ライセンス", LICENCE),
             ("ライセンスURL", LICENCE_URL)]
    return spreadsheets.workbook(spreadsheets.Sheet(title, [columns, *rows]), spreadsheets.Sheet("説明", about))


MEDIA_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "json": "application/json"}
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dcat_catalog(site: str, datasets) -> dict:
    """DCAT 2 (W3C) in JSON-LD, its context inline (nothing fetched): a catalogue, each dataset
    with its title, description, publisher, licence, language and one distribution a format."""
    publisher = {"@id": f"{site}/#publisher", "@type": "foaf:Organization", "foaf:name": PUBLISHER}
    licence = {"@id": LICENCE_URL}

    def distribution(dataset, fmt: str) -> dict:
        url = f"{site}/opendata/{dataset.slug}.{fmt}"
        return {"@id": url, "@type": "dcat:Distribution", "dct:title": f"{dataset.title}（{fmt.upper()}）",
                "dcat:downloadURL": {"@id": url}, "dcat:accessURL": {"@id": url},
                "dcat:mediaType": MEDIA_TYPES[fmt], "dct:format": fmt.upper(), "dct:license": licence}

    return {
        "@context": DCAT_CONTEXT,
        "@id": f"{site}/opendata/catalog.jsonld", "@type": "dcat:Catalog",
        "dct:title": {"@value": "特別区全国連携プロジェクト オープンデータ", "@language": "ja"},
        "dct:publisher": publisher, "dct:license": licence, "foaf:homepage": {"@id": f"{site}/opendata/"},
        "dcat:dataset": [{
            "@id": f"{site}/opendata/#{d.slug}", "@type": "dcat:Dataset", "dct:identifier": d.slug,
            "dct:title": {"@value": d.title, "@language": "ja"},
            "dct:description": {"@value": d.description, "@language": "ja"},
            "dct:publisher": publisher, "dct:license": licence, "dct:language": "ja",
            "dct:source": d.source, "dcat:landingPage": {"@id": f"{site}/opendata/"},
            "dcat:distribution": [distribution(d, fmt) for fmt in MEDIA_TYPES],
        } for d in datasets],
    }


def to_json(title: str, columns: list[str], keys: list[str], rows, *, source: str) -> bytes:
    document = {
        "title": title, "publisher": PUBLISHER, "source": source,
        "license": LICENCE, "license_url": LICENCE_URL,
        "columns": [{"key": k, "label": c} for k, c in zip(keys, columns, strict=True)],
        "records": [dict(zip(keys, row, strict=True)) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, default=str, indent=1).encode("utf-8")
