"""The public officer profile and the force-wide directory of officers."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from officers.models import Assignment, Officer, Rank
from tests.factories import AssignmentFactory, DivisionFactory, NeighbourhoodFactory, OfficerFactory
from tests.html import element, elements, hrefs, links

pytestmark = pytest.mark.django_db


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def officer():
    officer = OfficerFactory(
        display_name="Priya Sharma",
        rank=Rank.PC,
        collar_number="PC1234",
        bio="First paragraph.\n\nSecond paragraph.",
        responsibilities="Road safety near schools.",
        languages=["English", "Punjabi"],
        email="priya.sharma@example.police.uk",
        phone="01332 123456",
        photo="officers/photos/abc.jpg",
    )
    AssignmentFactory(officer=officer, neighbourhood__name="Normanton")
    AssignmentFactory(
        officer=officer, neighbourhood__name="Arboretum", role=Assignment.Role.TEAM_MEMBER
    )
    return officer


def test_profile_shows_the_public_details(client, officer):
    response = client.get(f"/officers/{officer.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assertInHTML('<h1 class="govuk-heading-xl">Priya Sharma</h1>', page)
    assert "Police Constable" in page
    assert "PC1234" in page
    assertInHTML("<p>First paragraph.</p>", page)
    assertInHTML("<p>Second paragraph.</p>", page)
    assert "Road safety near schools." in page
    assert "English, Punjabi" in page
    assert "mailto:priya.sharma@example.police.uk" in hrefs(page)
    assert ("01332 123456", "tel:01332123456") in links(page)


def test_profile_shows_the_photo_with_alt_text(client, officer):
    page = client.get(officer.get_absolute_url()).content.decode()

    assert element(
        page,
        "img",
        src="/media/officers/photos/abc.jpg",
        alt="Photo of Police Constable Priya Sharma",
    )


def test_profile_lists_current_neighbourhoods_with_role_and_link(client, officer):
    normanton = officer.assignments.get(role=Assignment.Role.NAMED_OFFICER).neighbourhood
    AssignmentFactory(officer=officer, neighbourhood__name="Littleover", end_date=yesterday())

    page = client.get(officer.get_absolute_url()).content.decode()

    assertInHTML(f'<a class="govuk-link" href="{normanton.get_absolute_url()}">Normanton</a>', page)
    linked = {link.text: link.parent.text for link in elements(page, "a")}
    assert linked["Normanton"].startswith("Normanton: named officer")
    assert linked["Arboretum"].startswith("Arboretum: team member")
    assert "Littleover" not in page


def test_profile_of_officer_without_neighbourhood_says_so(client):
    officer = OfficerFactory(display_name="Tom Ellis")

    page = client.get(officer.get_absolute_url()).content.decode()

    assert "Tom Ellis does not serve a neighbourhood at the moment" in page


def test_profile_without_photo_has_no_image(client):
    officer = OfficerFactory()

    page = client.get(officer.get_absolute_url()).content.decode()

    assert not elements(page, "img")


def test_unknown_officer_is_page_not_found(client):
    response = client.get("/officers/987654/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_profile_does_not_offer_editing_to_visitors(client, officer):
    page = client.get(officer.get_absolute_url()).content.decode()

    assert "Edit this profile" not in page


def test_profile_offers_editing_to_the_officer_themselves(client, officer_account):
    officer = OfficerFactory(user=officer_account)
    client.force_login(officer_account)

    page = client.get(officer.get_absolute_url()).content.decode()

    assert ("Edit this profile", f"/staff/officers/{officer.pk}/edit/") in links(page)


def test_profile_page_queries_do_not_grow_with_assignments(
    client, officer, django_assert_max_num_queries
):
    for _ in range(30):
        AssignmentFactory(officer=officer, role=Assignment.Role.TEAM_MEMBER)

    with django_assert_max_num_queries(2):
        response = client.get(officer.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("team member") == 31


# --- The directory --------------------------------------------------------------------------


def directory(client, **params):
    return client.get("/officers/", params)


def test_directory_lists_only_officers_serving_now(client, officer):
    former = OfficerFactory(display_name="Former Officer")
    AssignmentFactory(officer=former, end_date=yesterday())
    future = OfficerFactory(display_name="Future Officer")
    AssignmentFactory(officer=future, start_date=timezone.localdate() + datetime.timedelta(days=3))
    OfficerFactory(display_name="Unassigned Officer")

    page = directory(client).content.decode()

    assert ("Priya Sharma", f"{officer.get_absolute_url()}") in links(page)
    assert "Normanton (named officer)" in page
    assert "Former Officer" not in page
    assert "Future Officer" not in page
    assert "Unassigned Officer" not in page
    assert len(elements(page, "th", scope="row")) == 1


def test_directory_filters_by_neighbourhood(client, officer):
    other = AssignmentFactory(officer__display_name="Daniel Okafor")
    normanton = officer.assignments.get(role=Assignment.Role.NAMED_OFFICER).neighbourhood

    page = directory(client, neighbourhood=normanton.slug).content.decode()

    assert "Priya Sharma" in page
    assert other.officer.display_name not in page
    assert "1 officer in Normanton" in page


def test_directory_neighbourhood_select_is_grouped_by_division(client, officer):
    division = DivisionFactory(name="Derby City")
    NeighbourhoodFactory(name="Darley", slug="darley", division=division)

    page = directory(client).content.decode()

    assert elements(page, "optgroup", label="Derby City")
    assertInHTML('<option value="darley">Darley</option>', page)


def test_directory_filters_by_name_in_any_case(client, officer):
    AssignmentFactory(officer__display_name="Daniel Okafor")

    page = directory(client, name="sHaRm").content.decode()

    assert "Priya Sharma" in page
    assert "Daniel Okafor" not in page


def test_directory_filters_by_neighbourhood_and_name_together(client, officer):
    normanton = officer.assignments.get(role=Assignment.Role.NAMED_OFFICER).neighbourhood
    AssignmentFactory(
        officer__display_name="Priya Other",
        neighbourhood=normanton,
        role=Assignment.Role.TEAM_MEMBER,
    )
    AssignmentFactory(officer__display_name="Priya Elsewhere")

    page = directory(client, neighbourhood=normanton.slug, name="priya").content.decode()

    assert "Priya Sharma" in page
    assert "Priya Other" in page
    assert "Priya Elsewhere" not in page


def test_directory_says_when_nobody_matches(client, officer):
    page = directory(client, name="Nobody").content.decode()

    assert "No officers found" in page


def test_directory_refuses_an_unknown_neighbourhood_clearly(client, officer):
    response = directory(client, neighbourhood="atlantis")

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert ("Select a neighbourhood from the list", "#id_neighbourhood") in links(page)
    assert "Priya Sharma" not in page


def test_directory_refuses_a_name_with_a_null_character(client, officer):
    response = directory(client, name="Pri\x00ya")

    assert response.status_code == 200
    assert "The name contains a character that is not allowed" in response.content.decode()


@pytest.fixture
def many_officers():
    """230 officers serving now, each in two neighbourhoods, in few queries."""
    neighbourhoods = NeighbourhoodFactory.create_batch(10)
    officers = Officer.objects.bulk_create(
        Officer(display_name=f"Officer {number:03d}", rank=Rank.PCSO) for number in range(230)
    )
    start = timezone.localdate() - datetime.timedelta(days=10)
    Assignment.objects.bulk_create(
        Assignment(
            officer=officer,
            neighbourhood=neighbourhoods[(number + step) % 10],
            role=Assignment.Role.TEAM_MEMBER,
            start_date=start,
        )
        for number, officer in enumerate(officers)
        for step in range(2)
    )
    return neighbourhoods


def test_directory_shows_25_officers_a_page(client, many_officers):
    page = directory(client).content.decode()

    assert len(elements(page, "th", scope="row")) == 25
    assert "230 officers" in page
    assert "Officer 000" in page
    assert "Officer 025" not in page
    pagination = element(page, "*", class_="govuk-pagination")
    assert element(pagination, "a", href="?page=2", rel="next")
    assert element(pagination, "a", aria_label="Page 10")


def test_directory_last_page_holds_the_rest(client, many_officers):
    page = directory(client, page=10).content.decode()

    assert len(elements(page, "th", scope="row")) == 5
    assert "Officer 229" in page
    assert elements(page, "*", rel="prev")
    assert not elements(page, "*", rel="next")


def test_directory_page_links_keep_the_filters(client, many_officers):
    page = directory(client, name="officer", neighbourhood=many_officers[0].slug).content.decode()

    assert f"?name=officer&neighbourhood={many_officers[0].slug}&page=2" in hrefs(page)


@pytest.mark.parametrize("bad_page", ["abc", "0", "-1", "99", "1.5", "9" * 40])
def test_directory_bad_page_number_gets_a_clear_message(client, many_officers, bad_page):
    response = directory(client, page=bad_page)

    page = response.content.decode()
    assert response.status_code == 404
    assert "There is no page" in page
    assert "Go to the first page" in page


def test_directory_queries_stay_fixed_with_230_officers(
    client, many_officers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = directory(client, page=3)

    assert response.status_code == 200
    assert len(elements(response.content.decode(), "th", scope="row")) == 25


def test_filtered_directory_queries_stay_fixed_with_230_officers(
    client, many_officers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = directory(client, neighbourhood=many_officers[3].slug, name="officer")

    assert response.status_code == 200
    assert "46 officers" in response.content.decode()


def test_officer_id_beyond_the_database_range_is_page_not_found(client):
    response = client.get(f"/officers/{10**30}/")

    assert response.status_code == 404
