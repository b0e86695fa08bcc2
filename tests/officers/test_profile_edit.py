"""Editing a public profile through the staff pages: preview, publish, and who may do it."""

import pytest
from django.core.exceptions import PermissionDenied
from pytest_django.asserts import assertContains

from config.roles import Role
from officers import services
from officers.models import Assignment, Rank
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.html import elements, links, roots, title, value

pytestmark = pytest.mark.django_db

NEW_VALUES = {
    "bio": "I grew up in Normanton.\r\n\r\nAsk me about the allotments.",
    "responsibilities": "Anti-social behaviour and road safety.",
    "languages": "English, Punjabi ,, english, Polish",
    "email": "priya.sharma@example.police.uk",
    "phone": "01332123456",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def own_officer(officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", bio="Old bio")
    AssignmentFactory(officer=officer)
    return officer


def edit_url(officer) -> str:
    return f"/staff/officers/{officer.pk}/edit/"


def draft_of(preview_page: str) -> str:
    return value(preview_page, "draft")


def preview(client, url: str, data: dict, **extra):
    """Submit the edit form with Preview and follow to the preview page."""
    response = client.post(url, data, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def publish(client, officer, preview_page: str):
    return client.post(
        f"/staff/officers/{officer.pk}/edit/publish/", {"draft": draft_of(preview_page)}
    )


def test_officer_publishes_own_profile_after_preview(client, officer_account, own_officer):
    client.force_login(officer_account)

    page = preview(client, "/staff/profile/", NEW_VALUES).content.decode()
    response = publish(client, own_officer, page)

    assert response.status_code == 302
    assert response["Location"] == own_officer.get_absolute_url()
    own_officer.refresh_from_db()
    assert own_officer.bio == "I grew up in Normanton.\n\nAsk me about the allotments."
    assert own_officer.responsibilities == "Anti-social behaviour and road safety."
    assert own_officer.languages == ["English", "Punjabi", "Polish"]
    assert own_officer.email == "priya.sharma@example.police.uk"
    assert own_officer.phone == "01332 123456"


def test_publishing_records_the_editor_in_the_history(client, officer_account, own_officer):
    client.force_login(officer_account)

    publish(client, own_officer, preview(client, "/staff/profile/", NEW_VALUES).content.decode())

    latest = own_officer.history.latest()
    assert latest.bio.startswith("I grew up in Normanton.")
    assert latest.history_user == officer_account


def test_published_profile_shows_a_success_message(client, officer_account, own_officer):
    client.force_login(officer_account)
    page = preview(client, "/staff/profile/", NEW_VALUES).content.decode()

    response = client.get(publish(client, own_officer, page)["Location"])

    assert "The profile is published" in response.content.decode()


def test_preview_shows_the_new_values_and_saves_nothing(client, officer_account, own_officer):
    client.force_login(officer_account)
    history_before = own_officer.history.count()

    response = preview(client, "/staff/profile/", NEW_VALUES)

    page = response.content.decode()
    assert "Ask me about the allotments." in page
    assert "01332 123456" in page
    assert "English, Punjabi, Polish" in page
    assert "Publish changes" in page
    own_officer.refresh_from_db()
    assert own_officer.bio == "Old bio"
    assert own_officer.history.count() == history_before


def test_change_link_returns_to_the_form_with_the_values_kept(client, officer_account, own_officer):
    client.force_login(officer_account)
    page = preview(client, "/staff/profile/", NEW_VALUES).content.decode()
    [change_url] = [
        href
        for text, href in links(page)
        if text == "Change" and href.startswith("/staff/profile/?draft=")
    ]

    form_page = client.get(change_url).content.decode()

    assert "Ask me about the allotments." in form_page
    assert elements(form_page, "input", value="priya.sharma@example.police.uk")
    own_officer.refresh_from_db()
    assert own_officer.bio == "Old bio"


def test_edit_form_starts_with_the_current_values(client, officer_account, own_officer):
    own_officer.languages = ["English", "Urdu"]
    own_officer.save()
    client.force_login(officer_account)

    page = client.get("/staff/profile/").content.decode()

    assert "Old bio" in page
    assert elements(page, "input", value="English, Urdu")


def test_publishing_an_unknown_draft_says_the_preview_expired(client, officer_account, own_officer):
    client.force_login(officer_account)

    response = client.post(
        f"/staff/officers/{own_officer.pk}/edit/publish/", {"draft": "nonsense"}, follow=True
    )

    assert "Your preview has expired" in response.content.decode()
    own_officer.refresh_from_db()
    assert own_officer.bio == "Old bio"


def test_staff_home_links_to_editing_your_profile(client, officer_account, own_officer):
    client.force_login(officer_account)

    page = client.get("/staff/").content.decode()

    assert ("Edit your public profile", "/staff/profile/") in links(page)


def test_staff_home_has_no_edit_link_without_a_profile(client, officer_account):
    client.force_login(officer_account)

    page = client.get("/staff/").content.decode()

    assert "Edit your public profile" not in page


# --- Who may edit ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, own_officer):
    response = client.get(edit_url(own_officer))

    assert response.status_code == 302
    assert response["Location"] == f"/staff/sign-in/?next={edit_url(own_officer)}"


def test_anonymous_visitor_is_sent_to_sign_in_from_own_profile(client):
    response = client.get("/staff/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")


def test_account_without_a_profile_is_refused_own_profile(client, officer_account):
    client.force_login(officer_account)

    response = client.get("/staff/profile/")

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_officer_is_refused_another_officers_edit_page(client, make_account, own_officer):
    other = make_account(Role.OFFICER)
    OfficerFactory(user=other)
    client.force_login(other)

    response = client.get(edit_url(own_officer))

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_officer_cannot_post_changes_to_another_officer(client, make_account, own_officer):
    other = make_account(Role.OFFICER)
    AssignmentFactory(
        officer__user=other,
        neighbourhood=own_officer.assignments.get().neighbourhood,
        role=Assignment.Role.TEAM_MEMBER,
    )
    client.force_login(other)

    response = client.post(edit_url(own_officer), NEW_VALUES)

    assert response.status_code == 403
    own_officer.refresh_from_db()
    assert own_officer.bio == "Old bio"


def test_officer_cannot_publish_to_another_officer(client, make_account, officer_account):
    """Even with a draft of their own in the session, publishing to someone else is refused."""
    own = OfficerFactory(user=officer_account, bio="Mine")
    victim = OfficerFactory(bio="Theirs")
    client.force_login(officer_account)
    page = preview(client, "/staff/profile/", NEW_VALUES).content.decode()

    response = client.post(f"/staff/officers/{victim.pk}/edit/publish/", {"draft": draft_of(page)})

    assert response.status_code == 403
    victim.refresh_from_db()
    own.refresh_from_db()
    assert (victim.bio, own.bio) == ("Theirs", "Mine")


def test_officer_cannot_open_the_preview_of_another_officer(client, make_account, own_officer):
    other = make_account(Role.OFFICER)
    OfficerFactory(user=other)
    client.force_login(other)

    response = client.get(f"/staff/officers/{own_officer.pk}/edit/preview/anything/")

    assert response.status_code == 403


@pytest.fixture
def sergeant(supervisor_account):
    officer = OfficerFactory(user=supervisor_account, rank=Rank.SGT)
    return AssignmentFactory(officer=officer, role=Assignment.Role.SERGEANT)


def test_sergeant_edits_a_team_member(client, supervisor_account, sergeant):
    member = AssignmentFactory(
        neighbourhood=sergeant.neighbourhood, role=Assignment.Role.TEAM_MEMBER
    ).officer
    client.force_login(supervisor_account)

    page = preview(client, edit_url(member), NEW_VALUES).content.decode()
    response = publish(client, member, page)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "01332 123456"
    assert member.history.latest().history_user == supervisor_account


def test_sergeant_is_refused_an_officer_outside_their_neighbourhoods(
    client, supervisor_account, sergeant
):
    outsider = AssignmentFactory(neighbourhood=NeighbourhoodFactory()).officer
    client.force_login(supervisor_account)

    assert client.get(edit_url(outsider)).status_code == 403
    assert client.post(edit_url(outsider), NEW_VALUES).status_code == 403


def test_sergeant_whose_assignment_ended_is_refused(client, supervisor_account, sergeant):
    member = AssignmentFactory(neighbourhood=sergeant.neighbourhood).officer
    sergeant.end_date = sergeant.start_date
    sergeant.save()
    client.force_login(supervisor_account)

    assert client.get(edit_url(member)).status_code == 403


def test_inspector_edits_an_officer_of_their_neighbourhood(client, make_account):
    inspector = make_account(Role.OFFICER, Role.SUPERVISOR)
    assignment = AssignmentFactory(officer__user=inspector, role=Assignment.Role.INSPECTOR)
    member = AssignmentFactory(neighbourhood=assignment.neighbourhood).officer
    client.force_login(inspector)
    member.bio = "Ask me about the allotments."
    member.save()

    response = client.get(edit_url(member))

    assertContains(response, member.display_name)
    assertContains(response, "Ask me about the allotments.")


def test_administrator_edits_anyone(client, administrator_account):
    officer = OfficerFactory(bio="Old bio")
    client.force_login(administrator_account)

    page = preview(client, edit_url(officer), NEW_VALUES).content.decode()
    publish(client, officer, page)

    officer.refresh_from_db()
    assert officer.email == "priya.sharma@example.police.uk"
    assert officer.history.latest().history_user == administrator_account


def test_opcc_is_refused(client, opcc_account, own_officer):
    client.force_login(opcc_account)

    assert client.get(edit_url(own_officer)).status_code == 403
    assert client.post(edit_url(own_officer), NEW_VALUES).status_code == 403
    own_officer.refresh_from_db()
    assert own_officer.bio == "Old bio"


def test_account_without_a_role_is_refused_even_its_own_profile(client, make_account):
    user = make_account()
    officer = OfficerFactory(user=user)
    client.force_login(user)

    assert client.get(edit_url(officer)).status_code == 403


def test_service_refuses_an_officer_editing_someone_else(officer_account, own_officer):
    other = OfficerFactory(bio="Theirs")

    with pytest.raises(PermissionDenied):
        services.officer_profile_update(
            officer=other,
            by=officer_account,
            bio="Hijacked",
            email="",
            phone="",
            responsibilities="",
            languages=[],
        )

    other.refresh_from_db()
    assert other.bio == "Theirs"


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "Enter a UK telephone number"),
        ("phone", "+33 1 23 45 67 89", "Enter a UK telephone number"),
        ("email", "not an address", "Enter an email address in the correct format"),
        ("bio", "x" * 2001, "The bio must be 2,000 characters or fewer"),
    ],
)
def test_bad_value_shows_error_summary_and_keeps_other_values(
    client, officer_account, own_officer, field, value, message
):
    client.force_login(officer_account)

    response = client.post("/staff/profile/", {**NEW_VALUES, field: value})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert any(href == f"#id_{field}" and text.startswith(message) for text, href in links(page))
    assert title(page).startswith("Error: Edit your public profile")
    assert "Anti-social behaviour and road safety." in page
    assert "English, Punjabi" in page
    own_officer.refresh_from_db()
    assert own_officer.bio == "Old bio"


def test_bio_of_exactly_2000_characters_with_line_breaks_is_accepted(
    client, officer_account, own_officer
):
    client.force_login(officer_account)
    bio = ("x" * 99 + "\r\n") * 20  # 2,000 characters once each break is one character

    page = preview(client, "/staff/profile/", {**NEW_VALUES, "bio": bio}).content.decode()
    response = publish(client, own_officer, page)

    assert response.status_code == 302
    own_officer.refresh_from_db()
    assert own_officer.bio == "\n".join(["x" * 99] * 20)  # the form strips the last break


def test_bio_html_is_stored_as_text_and_shown_escaped(client, officer_account, own_officer):
    client.force_login(officer_account)
    values = {**NEW_VALUES, "bio": "<script>alert(1)</script>"}
    publish(client, own_officer, preview(client, "/staff/profile/", values).content.decode())

    page = client.get(own_officer.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_inline_validation_returns_the_field_with_its_error(client, officer_account, own_officer):
    client.force_login(officer_account)

    response = client.post(
        "/staff/profile/",
        {"phone": "12345"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "phone"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    [group] = roots(page)
    assert (group.tag, group.classes) == ("div", {"govuk-form-group", "govuk-form-group--error"})
    assert "Enter a UK telephone number" in page
    assert not elements(page, "html")


def test_inline_validation_of_a_good_email_shows_no_error(client, officer_account, own_officer):
    client.force_login(officer_account)

    response = client.post(
        "/staff/profile/",
        {"email": "good@example.police.uk"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "email"},
    )

    assert "govuk-error-message" not in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01332123456", "01332 123456"),
        ("+44 1332 123456", "01332 123456"),
        ("07700900123", "07700 900123"),
        ("+447700 900 123", "07700 900123"),
        ("020 7946 0000", "020 7946 0000"),
        ("101", "101"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_national_format(typed, stored):
    assert services.phone_number_format(typed) == stored


def test_languages_are_trimmed_and_deduplicated():
    assert services.languages_parse(" Welsh,,welsh , British Sign Language ") == [
        "Welsh",
        "British Sign Language",
    ]
