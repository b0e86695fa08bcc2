"""Administrators read events, series, registrations and outcomes in the admin, with their
history; every change goes through the staff pages."""

import secrets

import pytest
from pytest_django.asserts import assertContains

from meetings.models import Outcome, Registration
from meetings.services.series import series_materialise
from tests.factories import EventFactory, SeriesFactory
from tests.html import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(title="Normanton beat meeting")
    Registration.objects.create(
        event=event,
        name="Winifred Oakenshaw",
        email="winifred@example.com",
        cancel_token_hash=secrets.token_hex(32),
    )
    Outcome.objects.create(event=event, attendance=12, summary="Speeding raised.")
    return event


def test_administrator_reads_every_meetings_list_and_page(client, administrator_account, event):
    series = SeriesFactory(title="Monthly surgery")
    series_materialise(series=series)
    client.force_login(administrator_account)
    registration = Registration.objects.get()

    for url, shown in (
        ("/admin/meetings/event/", "Normanton beat meeting"),
        (f"/admin/meetings/event/{event.pk}/change/", "Normanton beat meeting"),
        (f"/admin/meetings/event/{event.pk}/history/", "Normanton beat meeting"),
        ("/admin/meetings/series/", "Monthly surgery"),
        (f"/admin/meetings/series/{series.pk}/change/", "Monthly surgery"),
        ("/admin/meetings/registration/", "Winifred Oakenshaw"),
        (f"/admin/meetings/registration/{registration.pk}/change/", "Winifred Oakenshaw"),
        ("/admin/meetings/outcome/", "Normanton beat meeting"),
    ):
        assertContains(client.get(url), shown, msg_prefix=url)


def test_admin_offers_no_way_to_add_change_or_delete(client, administrator_account, event):
    client.force_login(administrator_account)

    assert client.get("/admin/meetings/event/add/").status_code == 403
    assert client.get(f"/admin/meetings/event/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/meetings/event/{event.pk}/change/").content.decode()
    assert not elements(page, "*", name="_save")
    assert "Speeding raised." in page


def test_registration_page_hides_the_cancel_token_hash(client, administrator_account, event):
    client.force_login(administrator_account)
    registration = Registration.objects.get()

    page = client.get(f"/admin/meetings/registration/{registration.pk}/change/").content.decode()

    assert "winifred@example.com" in page
    assert registration.cancel_token_hash not in page
