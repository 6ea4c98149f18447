from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import path

from renkei import urls as root_urls

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client):
    with mock.patch("renkei.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_404_page_is_japanese(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "ページが見つかりません" in page
    assert "Traceback" not in page


def boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [*root_urls.urlpatterns, path("boom/", boom)]
handler404 = root_urls.handler404
handler500 = root_urls.handler500


def test_500_page_is_japanese_without_a_stack_trace(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "システムエラーが発生しました" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_a_500_page_gives_the_number_that_finds_its_log_line(settings, caplog):
    import json
    import logging

    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO, logger="renkei.requests"):
        response = client.get("/boom/", HTTP_X_REQUEST_ID="4f1c2a9be0d37c11")
    assert response.status_code == 500 and response["X-Request-ID"] == "4f1c2a9be0d37c11"
    assert "受付番号をお伝えください: <strong>4f1c2a9be0d37c11</strong>" in response.content.decode()
    line = json.loads(next(r.getMessage() for r in caplog.records if r.name == "renkei.requests"))
    assert line["request_id"] == "4f1c2a9be0d37c11" and line["status"] == 500 and line["path"] == "/boom/"


def test_every_request_gets_an_id_of_its_own(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert len(first) == 16 and first != second
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert forged != "<script>" and len(forged) == 16


def test_a_refused_request_logs_one_line_without_a_traceback(client, world, caplog):
    """A member opening the secretariat's page is an ordinary 403: the log says so in one line;
    a server error keeps its traceback."""
    import logging

    from renkei.testing import sign_in

    sign_in(client, world.member)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/secretariat/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.status_code == 403 and record.exc_info is None
    assert "Traceback" not in caplog.text
    server_error = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None,
                                     (ValueError, ValueError("boom"), None))
    server_error.status_code = 500
    for log_filter in logging.getLogger("django.request").filters:
        log_filter.filter(server_error)
    assert server_error.exc_info is not None
