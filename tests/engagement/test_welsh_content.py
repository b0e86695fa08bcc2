"""Priorities and surveys in Welsh: residents on the Welsh pages see the Welsh officers wrote,
the English marked lang="en" where none is written; the staff forms ask for the Welsh beside
the English only where the force has Welsh switched on."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings
from pytest_django.asserts import assertInHTML

from config.dates import LONDON
from engagement.models import Priority, Survey
from officers.models import Assignment
from tests.factories import AssignmentFactory, OfficerFactory, PriorityFactory
from tests.form_data import with_date_boxes
from tests.html import element, elements, texts, title

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 10, 6, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
ENGLISH_ONLY = override_settings(LANGUAGES=[("en-gb", "English")])


@pytest.fixture
def officer_client(client, area, officer_account):
    officer = OfficerFactory(user=officer_account)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    client.force_login(officer_account)
    return client


@pytest.fixture
def survey(area):
    survey = Survey.objects.create(
        neighbourhood=area,
        question="What should we focus on next?",
        question_cy="Ar beth ddylen ni ganolbwyntio nesaf?",
        description="It takes a minute.",
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=13),
    )
    survey.options.create(label="Speeding", label_cy="Goryrru", position=0)
    survey.options.create(label="Burglary", position=1)
    return survey


def text(response) -> str:
    return response.content.decode()


def priority_form(**fields) -> dict:
    data = {
        "issue": "Parking on pavements",
        "action": "",
        "status": "open",
        "issue_date": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "action_date": "",
        "review_date": "",
        **fields,
    }
    return with_date_boxes(data, "issue_date", "action_date", "review_date")


def survey_form(**fields) -> dict:
    data = {
        "question": "What should we focus on next?",
        "description": "",
        "options": "Speeding\r\nBurglary",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
        **fields,
    }
    return with_date_boxes(data, "opens_on", "closes_on")


# --- Residents' pages ----------------------------------------------------------------------------


def test_welsh_priorities_show_on_the_welsh_neighbourhood_page(client, area):
    PriorityFactory(
        neighbourhood=area,
        issue="Speeding near the school",
        issue_cy="Goryrru ger yr ysgol",
        action="Speed checks every week.",
        action_cy="",
        status=Priority.Status.OPEN,
    )

    welsh = text(client.get(f"/cy/neighbourhoods/{area.slug}/"))
    english = text(client.get(f"/neighbourhoods/{area.slug}/"))

    assertInHTML('<h3 class="govuk-summary-card__title">Goryrru ger yr ysgol</h3>', welsh)
    assertInHTML('<span lang="en">Speed checks every week.</span>', welsh)
    assertInHTML('<h3 class="govuk-summary-card__title">Speeding near the school</h3>', english)
    assert "Goryrru" not in english


def test_a_welsh_survey_page_asks_the_welsh_question_with_welsh_options(client, survey):
    page = text(client.get(f"/cy/have-your-say/{survey.pk}/"))

    assert title(page).startswith("Ar beth ddylen ni ganolbwyntio nesaf?")
    assertInHTML('<h1 class="govuk-heading-l">Ar beth ddylen ni ganolbwyntio nesaf?</h1>', page)
    assertInHTML('<p class="govuk-body"><span lang="en">It takes a minute.</span></p>', page)
    assert "Goryrru" in texts(page, "label")
    assertInHTML('<span lang="en">Burglary</span>', page)


def test_the_english_survey_page_is_all_english(client, survey):
    page = text(client.get(f"/have-your-say/{survey.pk}/"))

    assertInHTML('<h1 class="govuk-heading-l">What should we focus on next?</h1>', page)
    assert "Goryrru" not in page
    assert "ganolbwyntio" not in page


# --- Staff forms ---------------------------------------------------------------------------------


def test_staff_write_a_priority_in_welsh_and_it_shows_on_the_welsh_page(
    client, officer_client, area
):
    form_page = text(officer_client.get("/staff/priorities/new/"))
    response = officer_client.post(
        "/staff/priorities/new/",
        priority_form(neighbourhood=area.pk, issue_cy="Parcio ar y palmant"),
    )

    assert elements(form_page, "*", name="issue_cy") and elements(form_page, "*", name="action_cy")
    assert response.status_code == 302
    priority = Priority.objects.get()
    assert priority.issue_cy == "Parcio ar y palmant"
    welsh = text(client.get(f"/cy/neighbourhoods/{area.slug}/"))
    assertInHTML('<h3 class="govuk-summary-card__title">Parcio ar y palmant</h3>', welsh)


def test_updating_a_priority_changes_its_welsh(officer_client, area):
    priority = PriorityFactory(neighbourhood=area, issue="Parking", issue_cy="Parcio")

    response = officer_client.post(
        f"/staff/priorities/{priority.pk}/edit/",
        priority_form(issue="Parking", issue_cy="Parcio ar y palmant", action_cy="Patrolau"),
    )

    priority.refresh_from_db()
    assert response.status_code == 302
    assert (priority.issue_cy, priority.action_cy) == ("Parcio ar y palmant", "Patrolau")


@ENGLISH_ONLY
def test_an_english_only_force_s_priority_form_has_no_welsh_and_ignores_it(officer_client, area):
    form_page = text(officer_client.get("/staff/priorities/new/"))
    response = officer_client.post(
        "/staff/priorities/new/",
        priority_form(neighbourhood=area.pk, issue_cy="Parcio ar y palmant"),
    )

    assert "_cy" not in form_page
    assert response.status_code == 302
    assert Priority.objects.get().issue_cy == ""


def test_the_new_survey_form_leaves_the_welsh_question_empty(officer_client, area):
    page = text(officer_client.get("/staff/surveys/new/"))

    question_cy = element(page, "input", name="question_cy")
    assert question_cy.attrs["lang"] == "cy"
    assert "value" not in question_cy.attrs
    assert elements(page, "input", value="What should we focus on next?")


def test_staff_write_a_survey_in_welsh_with_its_options_in_the_same_order(officer_client, area):
    response = officer_client.post(
        "/staff/surveys/new/",
        survey_form(
            neighbourhood=area.pk,
            question_cy="Ar beth ddylen ni ganolbwyntio nesaf?",
            options_cy="Goryrru\r\nByrgleriaeth",
        ),
    )

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.question_cy == "Ar beth ddylen ni ganolbwyntio nesaf?"
    assert list(survey.options.values_list("label", "label_cy")) == [
        ("Speeding", "Goryrru"),
        ("Burglary", "Byrgleriaeth"),
    ]


def test_welsh_options_must_match_the_english_ones(officer_client, area):
    response = officer_client.post(
        "/staff/surveys/new/",
        survey_form(neighbourhood=area.pk, options_cy="Goryrru"),
    )

    assert response.status_code == 200
    assert "Enter the Welsh of every option" in text(response)
    assert not Survey.objects.exists()


@ENGLISH_ONLY
def test_an_english_only_force_s_survey_form_has_no_welsh(officer_client, area):
    form_page = text(officer_client.get("/staff/surveys/new/"))
    response = officer_client.post(
        "/staff/surveys/new/",
        survey_form(neighbourhood=area.pk, question_cy="Cwestiwn", options_cy="Un"),
    )

    assert "_cy" not in form_page
    assert response.status_code == 302
    assert Survey.objects.get().question_cy == ""


@pytest.mark.parametrize(
    ("path", "form", "said"),
    [
        (
            "/staff/priorities/new/",
            priority_form,
            "Mae’r flaenoriaeth wedi’i hychwanegu at Tre Norman.",
        ),
        ("/staff/surveys/new/", survey_form, "Mae’r arolwg wedi’i ychwanegu at Tre Norman."),
    ],
)
def test_staff_who_chose_welsh_are_told_the_neighbourhood_by_its_welsh_name(
    officer_client, area, path, form, said
):
    area.name_cy = "Tre Norman"
    area.save(update_fields=["name_cy"])
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = officer_client.post(path, form(neighbourhood=area.pk), follow=True)

    assert [str(message) for message in response.context["messages"]] == [said]
