"""An officer's profile in Welsh: the Welsh they write shows on the Welsh pages, their English
marked lang="en" where they wrote no Welsh; the form asks for it only where the force has Welsh
switched on."""

import re

import pytest
from django.test import override_settings
from pytest_django.asserts import assertInHTML

from officers.models import Assignment
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.html import elements, link_texts, value

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = override_settings(LANGUAGES=[("en-gb", "English")])
VALUES = {
    "bio": "I grew up in Normanton.",
    "bio_cy": "",
    "responsibilities": "Road safety.",
    "responsibilities_cy": "Diogelwch ar y ffyrdd.",
    "languages": "English, Welsh",
    "email": "",
    "phone": "101",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def priya(officer_account):
    area = NeighbourhoodFactory(name="Derby City Centre", name_cy="Canol Dinas Derby")
    officer = OfficerFactory(
        user=officer_account,
        display_name="Priya Sharma",
        bio="I grew up in Normanton.",
        responsibilities="Road safety.",
        responsibilities_cy="Diogelwch ar y ffyrdd.",
    )
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer


def text(response) -> str:
    return response.content.decode()


def publish(client, values: dict) -> None:
    response = client.post("/staff/profile/", values)
    assert response.status_code == 302, text(response)[:2000]
    preview = text(client.get(response["Location"]))
    draft = value(preview, "draft")
    officer_pk = re.search(r"/staff/officers/(\d+)/edit/publish/", preview).group(1)
    published = client.post(f"/staff/officers/{officer_pk}/edit/publish/", {"draft": draft})
    assert published.status_code == 302


def test_the_welsh_profile_shows_the_welsh_and_marks_the_english(client, priya):
    page = text(client.get(f"/cy/officers/{priya.pk}/"))

    assertInHTML('<div class="govuk-body"><p>Diogelwch ar y ffyrdd.</p></div>', page)
    assertInHTML('<div class="govuk-body" lang="en"><p>I grew up in Normanton.</p></div>', page)
    assert "Canol Dinas Derby" in link_texts(page)


def test_the_english_profile_is_unchanged(client, priya):
    page = text(client.get(f"/officers/{priya.pk}/"))

    assertInHTML('<div class="govuk-body"><p>Road safety.</p></div>', page)
    assertInHTML('<div class="govuk-body"><p>I grew up in Normanton.</p></div>', page)
    assert "Diogelwch" not in page
    assert "Canol Dinas Derby" not in page


def test_the_welsh_neighbourhood_page_and_directory_show_the_officer_s_welsh(client, priya):
    area = priya.assignments.get().neighbourhood
    neighbourhood_page = text(client.get(f"/cy/neighbourhoods/{area.slug}/"))
    directory = text(client.get("/cy/officers/"))

    assertInHTML('<p class="govuk-body">Diogelwch ar y ffyrdd.</p>', neighbourhood_page)
    assert "Canol Dinas Derby (" in directory


def test_an_officer_writes_their_welsh_and_residents_see_it(client, officer_account, priya):
    client.force_login(officer_account)

    form_page = text(client.get("/staff/profile/"))
    publish(client, {**VALUES, "bio_cy": "Cefais fy magu yn Normanton."})

    assert elements(form_page, "*", name="bio_cy")
    assert elements(form_page, "*", name="responsibilities_cy")
    priya.refresh_from_db()
    assert priya.bio_cy == "Cefais fy magu yn Normanton."
    page = text(client.get(f"/cy/officers/{priya.pk}/"))
    assertInHTML('<div class="govuk-body"><p>Cefais fy magu yn Normanton.</p></div>', page)


@ENGLISH_ONLY
def test_an_english_only_force_s_profile_form_has_no_welsh_and_keeps_what_was_written(
    client, officer_account, priya
):
    client.force_login(officer_account)

    form_page = text(client.get("/staff/profile/"))
    publish(client, {**VALUES, "responsibilities_cy": "Rhywbeth arall"})

    assert "_cy" not in form_page
    priya.refresh_from_db()
    assert priya.responsibilities_cy == "Diogelwch ar y ffyrdd."
