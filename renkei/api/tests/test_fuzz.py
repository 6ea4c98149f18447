"""Schemathesis over the whole OpenAPI document: every operation, with generated parameters valid
and invalid, answers without a server error and as the document says (status, content type,
headers, body schema; what the document refuses is refused). The suite runs FUZZ_EXAMPLES (default
200) cases per operation, on a database holding the shipped records (vol.1's disasters, figures and
agreements, as every test database does); `make fuzz` runs 1,000."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks as openapi_checks

from renkei.api.urls import api

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
# `--checks all`: every check schemathesis has for an OpenAPI document.
ALL_CHECKS = [not_a_server_error, *(getattr(openapi_checks, name) for name in (
    "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "negative_data_rejection", "positive_data_acceptance", "missing_required_header",
    "unsupported_method", "allow_header_conformance", "use_after_free", "ensure_resource_availability",
    "ignored_auth"))]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()  # requests go through the whole Django stack, in the test's transaction


@pytest.fixture(autouse=True)
def connection_kept():
    """As Django's test client does: the request's end must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_answers_as_documented(case):
    case.call_and_validate(checks=ALL_CHECKS)
