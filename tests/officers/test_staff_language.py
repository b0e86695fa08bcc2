"""The staff area in the language a member of staff chose with the switcher, at its one address,
and the choice kept for the emails sent to them (officers.selectors.staff_language)."""

import pytest
from django.conf import settings

from config.roles import Role
from officers.models import StaffLanguage
from officers.selectors import staff_language, staff_languages
from officers.services import staff_language_set
from tests.factories import UserFactory
from tests.html import language, texts
from tests.officers.second_factor_helpers import sign_in_with_password

pytestmark = pytest.mark.django_db


def test_a_signed_in_officer_who_chooses_cymraeg_sees_the_staff_area_in_welsh(
    client, officer_account
):
    sign_in_with_password(client, "officer")
    before = client.get("/staff/")

    chose = client.get("/language/cy/", {"next": "/staff/"})
    after = client.get("/staff/")

    assert language(before.content.decode()) == "en-GB"
    assert chose["Location"] == "/staff/"
    assert after.status_code == 200
    assert language(after.content.decode()) == "cy"
    assert "Cymraeg" in texts(after.content, "span", aria_current="true", lang="cy")
    assert staff_language(user_id=officer_account.pk) == "cy"


def test_choosing_english_again_is_kept_too(client, officer_account):
    sign_in_with_password(client, "officer")
    client.get("/language/cy/", {"next": "/staff/"})
    client.get("/language/en-gb/", {"next": "/staff/"})

    assert staff_language(user_id=officer_account.pk) == "en-gb"
    assert language(client.get("/staff/").content.decode()) == "en-GB"


def test_a_form_posted_in_the_staff_area_answers_in_the_chosen_language(client, officer_account):
    sign_in_with_password(client, "officer")
    client.get("/language/cy/", {"next": "/staff/"})

    posted = client.post("/staff/away/", {"away_until": ""})

    # The account has no officer profile: refused, in Welsh.
    assert posted.status_code == 403
    assert language(posted.content.decode()) == "cy"


def test_a_visitor_who_switches_is_remembered_by_the_cookie_only(client):
    client.get("/language/cy/", {"next": "/"})

    assert not StaffLanguage.objects.exists()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


def test_staff_who_never_chose_read_the_default_and_an_unknown_choice_falls_back():
    chose_welsh, never_chose, stale = UserFactory(), UserFactory(), UserFactory()
    staff_language_set(user=chose_welsh, language="cy")
    # A language the force has since switched off.
    StaffLanguage.objects.create(user=stale, language="fr")

    languages = staff_languages(user_ids=(u.pk for u in (chose_welsh, never_chose, stale)))

    assert languages == {chose_welsh.pk: "cy", never_chose.pk: "en-gb", stale.pk: "en-gb"}


def test_a_language_the_portal_does_not_offer_is_refused():
    user = UserFactory()

    with pytest.raises(Exception, match="Choose a language the portal offers"):
        staff_language_set(user=user, language="fr")

    assert not StaffLanguage.objects.filter(user=user).exists()


def test_an_english_only_force_shows_no_switcher_in_the_staff_area(client, settings, make_account):
    settings.LANGUAGES = [("en-gb", "English")]
    make_account(Role.OFFICER, username="someone")
    sign_in_with_password(client, "someone")

    page = client.get("/staff/").content.decode()

    assert language(page) == "en-GB"
    assert "portal-language-select" not in page
