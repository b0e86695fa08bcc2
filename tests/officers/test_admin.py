"""The Django admin shows each officer's profile history, with who made each change."""

import pytest

from config.roles import Role
from officers import services
from tests.factories import OfficerFactory
from tests.html import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_account):
    return make_account(Role.ADMINISTRATOR, username="root")


def test_administrator_sees_who_changed_a_profile(client, administrator, officer_account):
    officer = OfficerFactory(user=officer_account)
    services.officer_profile_update(
        officer=officer,
        by=officer_account,
        bio="New bio",
        email="",
        phone="101",
        responsibilities="",
        languages=[],
    )
    client.force_login(administrator)

    response = client.get(f"/admin/officers/officer/{officer.pk}/history/")

    page = response.content.decode()
    assert response.status_code == 200
    assert officer_account.get_username() in page
    assert "New bio" in page


def test_admin_change_page_shows_the_photo_without_an_upload_field(client, administrator):
    officer = OfficerFactory(photo="officers/photos/abc.jpg")
    client.force_login(administrator)

    response = client.get(f"/admin/officers/officer/{officer.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "officers/photos/abc.jpg" in page
    assert not elements(page, "input", type="file")
