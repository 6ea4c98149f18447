from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from renkei.api.base import http_error, validation_error
from renkei.api.disasters import router as disasters_router
from renkei.api.local_governments import router as local_governments_router
from renkei.api.matching import router as matching_router
from renkei.api.registry import router as registry_router


class UnicodeJSONRenderer(JSONRenderer):
    """Japanese stays readable in the JSON (UTF-8, not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UnicodeJSONRenderer(),
    title="renkei API",
    version="1",
    description="特別区全国連携プロジェクトのオープンデータAPI",
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN; the document is enough
)
api.add_exception_handler(ValidationError, lambda r, e: validation_error(r, e, api))
api.add_exception_handler(HttpError, lambda r, e: http_error(r, e, api))
api.add_router("/", local_governments_router)
api.add_router("/", registry_router)
api.add_router("/", disasters_router)
api.add_router("/", matching_router)

urlpatterns = api.urls
