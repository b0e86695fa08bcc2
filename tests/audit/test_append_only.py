"""Audit records are append-only for everyone in the portal: the admin offers no add, change or
delete; the model and its querysets refuse to change or delete; and on PostgreSQL a trigger
refuses UPDATE, and DELETE of a row younger than the retention, even in raw SQL. Only the purge
deletes, and only rows older than AUDIT_RETENTION_DAYS."""

import datetime

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditRecord
from audit.services import audit_purge, audit_record
from audit.tasks import purge_audit_records
from tests.html import elements

pytestmark = pytest.mark.django_db


def _record(**fields) -> AuditRecord:
    return audit_record(
        actor=None,
        action=AuditRecord.Action.VIEWED,
        subject_type="query",
        subject_id=1,
        reference="DY-TEST",
        address="192.0.2.1",
        **fields,
    )


@pytest.fixture
def record():
    return _record()


def test_the_model_refuses_to_save_an_existing_record_again(record):
    record.detail = "rewritten"
    with pytest.raises(TypeError, match="never changed or deleted"):
        record.save()
    assert AuditRecord.objects.get().detail == ""


def test_the_model_and_its_querysets_refuse_to_delete_or_update(record):
    with pytest.raises(TypeError):
        record.delete()
    with pytest.raises(TypeError):
        AuditRecord.objects.all().delete()
    with pytest.raises(TypeError):
        AuditRecord.objects.filter(pk=record.pk).update(detail="rewritten")
    assert AuditRecord.objects.get().detail == ""


def _refused(sql: str, params: list) -> None:
    with (
        pytest.raises(DatabaseError, match="audit records"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_the_database_refuses_an_update_in_raw_sql(record):
    _refused("UPDATE audit_auditrecord SET detail = 'rewritten' WHERE id = %s", [record.pk])
    _refused("UPDATE audit_auditrecord SET at = at - interval '10 years'", [])

    assert AuditRecord.objects.get().detail == ""


def test_the_database_refuses_to_delete_a_record_younger_than_the_retention(record):
    _refused("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    # Even a transaction that declares the retention cannot delete a younger row.
    _refused(
        "SELECT set_config('portal.audit_retention_days', '730', true); "
        "DELETE FROM audit_auditrecord WHERE id = %s",
        [record.pk],
    )

    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_the_admin_offers_no_way_to_add_change_or_delete(client, administrator_account, record):
    client.force_login(administrator_account)
    base = "/admin/audit/auditrecord/"

    listing = client.get(base).content.decode()
    page = client.get(f"{base}{record.pk}/change/").content.decode()

    assert "DY-TEST" in listing
    assert not elements(listing, "*", value="delete_selected")
    assert "DY-TEST" in page
    assert not elements(page, "*", name="_save")
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}add/", {"detail": "forged"}).status_code == 403
    assert client.post(f"{base}{record.pk}/change/", {"detail": "rewritten"}).status_code == 403
    assert client.get(f"{base}{record.pk}/delete/").status_code == 403
    assert client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})
    assert AuditRecord.objects.filter(pk=record.pk, detail="").exists()


def test_the_purge_deletes_only_records_older_than_the_retention(settings):
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=731)):
        expired = _record(detail="expired")
    with time_machine.travel(now - datetime.timedelta(days=729)):
        kept = _record(detail="kept")
    recent = _record(detail="recent")

    assert purge_audit_records() == 1

    assert set(AuditRecord.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    assert not AuditRecord.objects.filter(pk=expired.pk).exists()


def test_the_purge_follows_the_retention_setting(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=31)):
        _record(detail="a month old")
    with time_machine.travel(now - datetime.timedelta(days=29)):
        _record(detail="four weeks old")

    assert audit_purge() == 1

    assert list(AuditRecord.objects.values_list("detail", flat=True)) == ["four weeks old"]


def test_the_purge_is_scheduled_daily(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].startswith("audit.")]

    assert [e["task"] for e in entries] == ["audit.tasks.purge_audit_records"]
