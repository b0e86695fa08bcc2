"""Signing in, the second step, the staff home's messages, a query's forms and the admin, in
Welsh for a member of staff who chose Cymraeg; the same pages stay English for the others."""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

from config.admin_labels import PORTAL_APPS
from config.dates import LONDON
from config.roles import Role
from officers.models import Assignment
from queries.models import Query
from tests.factories import AssignmentFactory, OfficerFactory
from tests.form_data import date_boxes
from tests.html import elements, language, link_texts, texts, title
from tests.officers.second_factor_helpers import set_up_app, sign_in_with_password
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/staff/sign-in/"
CODE_STEP = "/staff/sign-in/code/"


def in_welsh(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"


def test_a_wrong_password_is_refused_in_welsh_with_the_tries_left(client, officer_account):
    in_welsh(client)

    refused = client.post(SIGN_IN, {"username": "officer", "password": "not-the-password"})

    page = refused.content.decode()
    assert language(page) == "cy"
    assert "Mewngofnodi staff" in page
    assert "Rhowch enw defnyddiwr a chyfrinair cywir." in page
    assert "Mae gennych 4 cynnig arall cyn i’r mewngofnodi gael ei gloi am 15 munud." in page
    assert "Enter a correct username and password" not in page


def test_a_wrong_password_is_still_refused_in_english_by_default(client, officer_account):
    refused = client.post(SIGN_IN, {"username": "officer", "password": "not-the-password"})

    page = refused.content.decode()
    assert "Enter a correct username and password. Both are case-sensitive." in page
    assert "You have 4 more tries before sign-in is locked for 15 minutes." in page


def test_a_wrong_code_at_the_second_step_is_refused_in_welsh(client, settings, make_account):
    settings.MFA_ENFORCED = True
    settings.MFA_SKIP_USERNAMES = []
    administrator = make_account(Role.ADMINISTRATOR, username="administrator")
    set_up_app(administrator)
    sign_in_with_password(client, "administrator")
    in_welsh(client)

    asked = client.get(CODE_STEP).content.decode()
    wrong = client.post(CODE_STEP, {"code": "000000"})
    malformed = client.post(CODE_STEP, {"code": "12ab"})

    assert "Rhowch y cod o’ch ap dilysu" in asked
    page = wrong.content.decode()
    assert wrong.status_code == 400
    assert "Mae problem" in page
    assert (
        "Nid yw’r cod yn gywir. Rhowch y cod y mae eich ap dilysu yn ei ddangos nawr. "
        "Mae gennych 4 cynnig arall cyn i’r cam hwn gael ei gloi." in page
    )
    assert "Rhowch y cod 6 digid, fel 123456" in malformed.content.decode()


def test_marking_oneself_away_is_confirmed_in_welsh_with_a_welsh_date(client, officer_account):
    OfficerFactory(user=officer_account, display_name="Priya Sharma")
    client.force_login(officer_account)
    in_welsh(client)
    until = datetime.datetime.now(tz=LONDON).date() + datetime.timedelta(days=400)
    welsh_date = f"{until.day} " + translation_of_month(until) + f" {until.year}"

    response = client.post("/staff/away/", date_boxes("away_until", until), follow=True)

    page = response.content.decode()
    assert f"Rydych wedi’ch nodi i ffwrdd tan {welsh_date}" in page
    assert f"Rydych wedi’ch nodi i ffwrdd tan {welsh_date}." in page  # the section's sentence
    assert "You are marked away" not in page


def translation_of_month(day: datetime.date) -> str:
    from config.dates import WELSH_MONTHS

    return WELSH_MONTHS[day.month - 1]


def test_a_date_in_the_away_form_that_is_not_a_date_is_refused_in_welsh(client, officer_account):
    OfficerFactory(user=officer_account, display_name="Priya Sharma")
    client.force_login(officer_account)
    in_welsh(client)

    response = client.post(
        "/staff/away/", {"away_until_day": "31", "away_until_month": "2", "away_until_year": "2030"}
    )

    page = response.content.decode()
    assert "Y diwrnod olaf y byddwch i ffwrdd: rhaid iddo fod yn ddyddiad go iawn" in page
    assert "Diwrnod" in texts(page, "label")


@pytest.fixture
def query(area, officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return QueryFactory(neighbourhood=area, assigned_officer=officer, email="w@example.com")


def test_an_empty_reply_to_a_query_is_refused_in_welsh(client, officer_account, query):
    client.force_login(officer_account)
    in_welsh(client)

    refused = client.post(f"{query.get_absolute_url()}reply/", {"reply-message": "  "})

    page = refused.content.decode()
    assert language(page) == "cy"
    assert "Rhowch eich ateb i’r preswylydd" in page
    assert "Eich ateb i’r preswylydd" in page
    assert "Enter your reply" not in page
    query.refresh_from_db()
    assert query.status == Query.Status.OPEN


def test_a_reply_sent_is_confirmed_in_welsh(client, officer_account, query):
    client.force_login(officer_account)
    in_welsh(client)

    sent = client.post(
        f"{query.get_absolute_url()}reply/", {"reply-message": "Patrols arranged."}, follow=True
    )

    assert "Anfonwyd eich ateb at y preswylydd drwy e-bost (w@example.com)." in (
        sent.content.decode()
    )


def test_the_inbox_says_how_long_is_left_in_welsh(client, officer_account, query):
    Query.objects.filter(pk=query.pk).update(
        due_at=datetime.datetime.now(tz=datetime.UTC)
        + datetime.timedelta(days=2, hours=3, minutes=5)
    )
    client.force_login(officer_account)
    in_welsh(client)

    page = client.get("/staff/queries/").content.decode()

    assert "2 diwrnod 3 awr ar ôl" in page
    assert "Waiting for a response" not in page


# --- The admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, administrator_account):
    client.force_login(administrator_account)
    return client


def test_an_admin_changelist_is_welsh_with_the_models_and_fields_named_in_welsh(
    admin_client, query
):
    in_welsh(admin_client)

    page = admin_client.get("/admin/officers/officer/").content.decode()

    assert language(page) == "cy"
    assert "Gweinyddu’r Porth Cymdogaeth" in page
    assert "Swyddogion a staff" in page  # the app
    assert title(page).startswith("Dewis swyddog i newid")  # the model, in Django's own Welsh
    assert "Enw i’w ddangos" in link_texts(page)  # a column heading
    assert elements(page, "*", data_filter_title="rheng")  # a filter
    assert "Display name" not in page
    index = admin_client.get("/admin/").content.decode()
    assert ">Ymholiadau<" in index
    assert ">Absenoldebau<" in index


def test_the_admin_stays_english_for_staff_who_did_not_choose_welsh(admin_client, query):
    page = admin_client.get("/admin/officers/officer/").content.decode()

    assert "Neighbourhood Portal administration" in page
    assert "Display name" in page


def test_every_name_the_admin_shows_is_listed_and_has_its_welsh():
    """A model or field added later must be added to config.admin_labels.LABELS (and the
    catalogue), or the admin shows its name in English to Welsh staff."""
    from django.contrib import admin

    shown = set()
    for model, model_admin in admin.site._registry.items():
        for each in (model, *(inline.model for inline in model_admin.inlines)):
            if each._meta.app_label not in PORTAL_APPS:
                continue
            opts = each._meta
            names = [opts.verbose_name, opts.verbose_name_plural]
            names += [
                field.verbose_name
                for field in opts.get_fields()
                if getattr(field, "concrete", False) and not field.auto_created
            ]
            shown.update(names)

    same_in_both = {"id", "slug", "uid", "label", "person"}
    untranslated = []
    for name in shown:
        with translation.override("en-gb"):
            english = str(name)
        with translation.override("cy"):
            welsh = str(name)
        if welsh == english and english not in same_in_both:
            untranslated.append(english)
    assert untranslated == []


def test_the_sign_in_page_is_welsh_for_a_visitor_who_chose_cymraeg(client):
    in_welsh(client)

    page = client.get(SIGN_IN).content.decode()

    assert "Rydw i wedi anghofio fy nghyfrinair" in page
    assert "Mewngofnodi" in texts(page, "button", class_="govuk-button", data_module="govuk-button")
