"""`q` on /api/locate-neighbourhood: the OpenAPI document says exactly what the view accepts,
so a client (or a schema-driven test tool) that sends a value the schema allows never gets a
400, and every value the schema forbids gets one."""

import json

import pytest
from openapi_schema_validator import OAS31Validator

from api.openapi import DOCUMENT

pytestmark = pytest.mark.django_db

Q_SCHEMA = DOCUMENT["components"]["parameters"]["q"]["schema"]

ACCEPTED = [
    "52.9225,-1.4746",
    " 52.9225 , -1.4746 ",
    "+52.9,-1",
    "52.,1.",
    "0,0",
    "-0,-0",
    "90,180",
    "-90.000,-180.0",
    "89.999999999,179.99999",
    "0052.9,001.5",
]
REFUSED = [
    "",
    " ",
    "   ,   ",
    ",",
    "52.9",
    "52.9,",
    ",-1.4",
    "abc",
    "1,2,3",
    "91,0",
    "90.0001,0",
    "-90.5,0",
    "0,181",
    "0,-180.01",
    "nan,1",
    "inf,0",
    "5.29e1,-1.4",
    "1_0,2",
    ".5,1",
    "52.9;-1.4",
    "\t52.9,-1.4",
    "52.9225,-1.4746" + "0" * 100,
]


def _locate(client, q: str):
    response = client.get("/api/locate-neighbourhood", {"q": q})
    return response.status_code, json.loads(response.content)


def test_the_schema_says_q_is_required_and_bounded():
    assert DOCUMENT["components"]["parameters"]["q"]["required"] is True
    assert Q_SCHEMA["minLength"] == 3
    assert Q_SCHEMA["maxLength"] == 100
    assert Q_SCHEMA["pattern"].startswith("^") and Q_SCHEMA["pattern"].endswith("$")


@pytest.mark.parametrize("q", ACCEPTED)
def test_a_point_the_schema_allows_is_never_a_400(client, q):
    assert OAS31Validator(Q_SCHEMA).is_valid(q)

    status, body = _locate(client, q)

    assert status == 404, body  # well-formed, and in no neighbourhood of an empty portal
    assert "No neighbourhood contains the point" in body["error"]


@pytest.mark.parametrize("q", REFUSED)
def test_a_point_the_schema_forbids_is_a_json_400(client, q):
    assert not OAS31Validator(Q_SCHEMA).is_valid(q)

    status, body = _locate(client, q)

    assert status == 400
    assert "q" in body["error"]


def test_a_q_over_the_length_limit_is_told_so(client):
    status, body = _locate(client, "52.9225,-1.4746" + "0" * 100)

    assert status == 400
    assert body["error"] == "q must be at most 100 characters."
