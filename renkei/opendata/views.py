import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.core.errors import NotFound
from renkei.opendata import formats
from renkei.opendata.datasets import DATASETS

CONTENT_TYPES = {
    "csv": "text/csv; charset={charset}",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


@access(PUBLIC)
@require_safe
def index(request):
    return render(request, "opendata/index.html", {"datasets": DATASETS.values(), "licence": formats.LICENCE,
                                                    "licence_url": formats.LICENCE_URL})


@access(PUBLIC)
@require_safe
def catalog(request):
    """The datasets as a DCAT catalogue in JSON-LD, which CKAN's DCAT harvester (the national data
    catalogue runs CKAN) and any RDF reader can take in."""
    document = formats.dcat_catalog(request.build_absolute_uri("/").rstrip("/"), DATASETS.values())
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                            content_type="application/ld+json; charset=utf-8")
    response["X-Licence"] = "CC-BY-4.0"
    return response


@access(PUBLIC)
@require_safe
def download(request, slug: str, fmt: str):
    dataset = DATASETS.get(slug)
    if dataset is None or fmt not in CONTENT_TYPES:
        raise NotFound("そのデータはありません。オープンデータの一覧からお選びください。")
    encoding = request.GET.get("encoding", "utf-8").lower()
    if fmt == "csv" and encoding not in ("utf-8", "cp932", "shift_jis"):
        return HttpResponse("encoding は utf-8 または cp932 を指定してください。", status=400,
                            content_type="text/plain; charset=utf-8")
    encoding = "cp932" if encoding == "shift_jis" else encoding
    rows = dataset.rows()
    replaced = 0
    if fmt == "csv":
        body, replaced = formats.to_csv(dataset.labels, rows, encoding)
    elif fmt == "xlsx":
        body = formats.to_xlsx(dataset.title, dataset.labels, rows, source=dataset.source)
    else:
        body = formats.to_json(dataset.title, dataset.labels, dataset.keys, rows, source=dataset.source)
    # CP932 is registered as Windows-31J (IANA); a strict Shift_JIS reader fails on ㈱ or 髙.
    charset = "Windows-31J" if encoding == "cp932" else "utf-8"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt].format(charset=charset))
    suffix = "-cp932" if fmt == "csv" and encoding == "cp932" else ""
    response["Content-Disposition"] = f'attachment; filename="renkei-{slug}{suffix}.{fmt}"'
    response["X-Licence"] = "CC-BY-4.0"
    if replaced:
        response["X-Replaced-Characters"] = str(replaced)
    return response
