"""A view of a resident's details is recorded even when the page fails afterwards: the record
is committed before the page is built. The test runs without a wrapping transaction, so what
it reads back is what a real request committed."""

import copy
from pathlib import Path

import pytest

from audit.models import AuditRecord

FAILING_TEMPLATES = Path(__file__).parent / "failing_templates"


@pytest.mark.django_db(transaction=True)
def test_the_view_is_recorded_when_the_page_fails_after_it(client, settings, people, resident_data):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [FAILING_TEMPLATES, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    client.raise_request_exception = False
    client.force_login(people["named officer"])
    query = resident_data["query"]

    response = client.get(query.get_absolute_url(), REMOTE_ADDR="192.0.2.77")

    assert response.status_code == 500
    record = AuditRecord.objects.get(action=AuditRecord.Action.VIEWED)
    assert (record.actor_name, record.reference, record.address) == (
        "priya",
        query.reference,
        "192.0.2.77",
    )
