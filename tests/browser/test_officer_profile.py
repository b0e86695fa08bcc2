"""An officer edits their public profile in Chromium: errors, photo, preview, publish."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from officers.models import Assignment, Rank
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a temporary folder, and /media/ serves from it."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def priya(officer_account):
    officer = OfficerFactory(
        user=officer_account, display_name="Priya Sharma", rank=Rank.PC, bio="Old bio"
    )
    AssignmentFactory(officer=officer, neighbourhood__name="Normanton")
    return officer


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "me.png"
    Image.new("RGB", (800, 600), (40, 110, 170)).save(path, format="PNG")
    return path


def test_officer_edits_previews_and_publishes_their_profile(page, media, priya, photo_file):
    # A resident has the neighbourhood page open before the change: it is cached for visitors.
    visitor = page.context.browser.new_context()
    resident = visitor.new_page()
    neighbourhood_url = priya.assignments.get().neighbourhood.get_absolute_url()
    sign_in(page, "officer")
    resident.goto(page.url.split("/staff/")[0] + neighbourhood_url)
    expect(resident.get_by_role("link", name="Priya Sharma")).to_be_visible()
    expect(
        resident.get_by_role("img", name="Photo of Police Constable Priya Sharma")
    ).to_have_count(0)

    page.get_by_role("link", name="Edit your public profile").click()
    expect(page.get_by_role("heading", name="Edit your public profile")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("About you").fill("I have walked the Normanton beat for six years.")
    page.get_by_label("Public telephone number").fill("12345")
    page.get_by_label("Photo").set_input_files(photo_file)
    page.get_by_role("button", name="Preview").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a UK telephone number")
    expect(page.get_by_label("About you")).to_have_value(
        "I have walked the Normanton beat for six years."
    )
    expect(page.get_by_text("Your new photo is ready")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Public telephone number").fill("01332 123456")
    page.get_by_role("button", name="Preview").click()

    expect(
        page.get_by_role("heading", name="Check the profile before you publish it")
    ).to_be_visible()
    expect(page.get_by_text("I have walked the Normanton beat for six years.")).to_be_visible()
    preview_photo = page.get_by_role("img", name="Photo of Police Constable Priya Sharma")
    expect(preview_photo).not_to_have_js_property("naturalWidth", 0)
    assert_accessible(page)

    page.get_by_role("button", name="Publish changes").click()

    expect(page).to_have_url(re.compile(rf"/officers/{priya.pk}/$"))
    expect(page.get_by_text("The profile is published")).to_be_visible()
    expect(page.get_by_text("I have walked the Normanton beat for six years.")).to_be_visible()
    expect(page.get_by_text("01332 123456")).to_be_visible()
    photo = page.get_by_role("img", name="Photo of Police Constable Priya Sharma")
    expect(photo).to_have_attribute("src", f"/media/{_photo_name(priya)}")
    expect(photo).to_have_js_property("naturalWidth", 600)
    assert_accessible(page)

    # The resident's neighbourhood page shows the new photo at once.
    resident.reload()
    resident_photo = resident.get_by_role("img", name="Photo of Police Constable Priya Sharma")
    expect(resident_photo).to_have_js_property("naturalWidth", 600)
    visitor.close()


def _photo_name(officer) -> str:
    officer.refresh_from_db()
    return officer.photo.name


def test_phone_is_checked_as_the_officer_leaves_the_field(page, media, priya):
    sign_in(page, "officer")
    page.goto("/staff/profile/")

    page.get_by_label("Public telephone number").fill("12345")
    page.get_by_label("Public telephone number").press("Tab")

    expect(page.locator("#id_phone_error")).to_contain_text("Enter a UK telephone number")
    expect(page.get_by_text("There is a problem")).to_have_count(0)  # no page load
    page.get_by_label("Public telephone number").fill("01332 123456")
    page.get_by_label("Public telephone number").press("Tab")
    expect(page.locator("#id_phone_error")).to_have_count(0)


def test_change_link_keeps_the_values(page, media, priya):
    sign_in(page, "officer")
    page.goto("/staff/profile/")
    page.get_by_label("About you").fill("A draft bio.")
    page.get_by_role("button", name="Preview").click()

    page.get_by_role("link", name="Change").click()

    expect(page.get_by_label("About you")).to_have_value("A draft bio.")


def test_another_officer_gets_the_403_page_and_sees_coverage(
    page, media, priya, supervisor_account
):
    sergeant = OfficerFactory(user=supervisor_account, display_name="Mark Riley", rank=Rank.SGT)
    AssignmentFactory(
        officer=sergeant, neighbourhood=NeighbourhoodFactory(), role=Assignment.Role.SERGEANT
    )
    sign_in(page, "sergeant")

    response = page.goto(f"/staff/officers/{priya.pk}/edit/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot use this page")).to_be_visible()

    page.goto("/staff/")
    page.get_by_role("link", name="See neighbourhood coverage").click()
    expect(page.get_by_role("heading", name="Neighbourhood coverage")).to_be_visible()
    assert_accessible(page)


def test_directory_has_no_violations(page, priya):
    AssignmentFactory(officer__display_name="Daniel Okafor")

    page.goto("/officers/")
    page.get_by_label("Name").fill("priya")
    page.get_by_role("button", name="Show officers").click()

    expect(page.get_by_role("link", name="Priya Sharma")).to_be_visible()
    expect(page.get_by_role("link", name="Daniel Okafor")).to_have_count(0)
    assert_accessible(page)


def test_directory_errors_have_no_violations(page, priya):
    page.goto("/officers/?neighbourhood=atlantis")

    expect(page.get_by_role("alert")).to_contain_text("Select a neighbourhood from the list")
    assert_accessible(page)
