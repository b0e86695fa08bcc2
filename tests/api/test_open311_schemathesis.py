"""Schemathesis against the Open311 document, served live at /open311/v2/openapi.json: generated
requests to every operation, in both formats, now and then with a real key and service code,
and every answer checked: never a server error, and a status, content type and (JSON) body the
document describes."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import Open311Client
from config.limits import token_hash
from config.wsgi import application
from tests.api.open311_data import open311_area, request_fields
from tests.api.test_schemathesis import wsgi_in_test_transaction  # noqa: F401

KEY = "schemathesis-open311-key-0123456789abcdefghij"
EXAMPLES_PER_OPERATION = max(100, settings.default.max_examples)

schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", application)


@pytest.fixture
def open311_data(db):
    area = open311_area(requests_per_hour=100_000)
    Open311Client.objects.create(name="Generated", key_hash=token_hash(KEY), key_prefix=KEY[:6])
    return area


@schema.hook
def map_body(context, body):
    """Half the bodies are a good request with one generated field in it, so the 201 and the
    errors of a known client are reached, not only the 403 of a generated key."""
    if not isinstance(body, dict) or len(str(body.get("api_key", ""))) % 2:
        return body
    name = sorted(body)[len(body) // 2] if body else "description"
    return {**request_fields(KEY), name: body.get(name, "")}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_open311_answers_as_its_document_says(case, open311_data, wsgi_in_test_transaction):  # noqa: F811
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
