"""The confirmation emails of a survey answer and of support for a priority are in the
language the resident used; the weekly note of overdue priorities is in each officer's."""

import datetime
import re

import pytest
from django.utils import timezone

from config.dates import LONDON
from engagement.models import PrioritySupport, Survey, SurveyResponse
from engagement.priorities import overdue_priorities_notify
from notifications.models import OutboxEmail
from tests.factories import PriorityFactory
from tests.html import language

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 10, 6, 10, 0, tzinfo=LONDON)
RESIDENT = "sam@example.com"


@pytest.fixture
def survey(area):
    survey = Survey.objects.create(
        neighbourhood=area,
        question="What should we focus on next?",
        opens_on=NOW.date(),
        closes_on=NOW.date() + datetime.timedelta(days=13),
    )
    survey.options.create(label="Speeding", position=0)
    return survey


def answer(client, survey, prefix: str):
    option = survey.options.get().pk
    return client.post(
        f"{prefix}/have-your-say/{survey.pk}/", {"option": option, "email": RESIDENT}
    )


def test_an_answer_given_in_welsh_is_confirmed_in_welsh(client, survey):
    assert answer(client, survey, "/cy").status_code == 302

    assert SurveyResponse.objects.get().language == "cy"
    email = OutboxEmail.objects.get(to=[RESIDENT])
    assert email.subject == "Cadarnhau eich ateb: What should we focus on next?"
    assert "Diolch am ateb arolwg tîm plismona cymdogaeth Normanton:" in email.body_text
    assert "Eich ateb: Speeding" in email.body_text
    assert re.search(r"/cy/have-your-say/confirm/\S+/", email.body_text)
    assert language(email.body_html) == "cy"


def test_an_answer_given_in_english_is_confirmed_in_english(client, survey):
    answer(client, survey, "")

    assert SurveyResponse.objects.get().language == "en-gb"
    email = OutboxEmail.objects.get(to=[RESIDENT])
    assert email.subject == "Confirm your answer: What should we focus on next?"
    assert "/cy/" not in email.body_text


@pytest.mark.parametrize(
    ("prefix", "language", "subject", "link"),
    [
        ("/cy", "cy", "Cadarnhau eich cefnogaeth i un o flaenoriaethau Normanton", "/cy/"),
        ("", "en-gb", "Confirm your support for a Normanton priority", "/have-your-say/"),
    ],
)
def test_support_is_confirmed_in_the_language_it_was_given_in(
    client, area, prefix, language, subject, link
):
    priority = PriorityFactory(neighbourhood=area, issue="Speeding on Harvey Road")

    client.post(f"{prefix}/have-your-say/priorities/{priority.pk}/support/", {"email": RESIDENT})

    assert PrioritySupport.objects.get().language == language
    email = OutboxEmail.objects.get(to=[RESIDENT])
    assert email.subject == subject
    assert re.search(rf"https?://[^/\s]+{link}\S*confirm/", email.body_text)


@pytest.mark.usefixtures("gwen_and_tom")
def test_overdue_priorities_reach_each_officer_in_their_chosen_language(area):
    priority = PriorityFactory(neighbourhood=area, issue="Speeding")
    type(priority).objects.filter(pk=priority.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=100)
    )

    assert overdue_priorities_notify(now=NOW) == 1

    welsh = OutboxEmail.objects.get(to=["gwen@example.police.uk"])
    english = OutboxEmail.objects.get(to=["tom@example.police.uk"])
    assert welsh.subject == "Normanton: mae angen adolygu 1 blaenoriaeth leol"
    assert "diweddarwyd ddiwethaf 28 Mehefin 2026" in welsh.body_text
    assert english.subject == "Normanton: 1 local priority needs reviewing"
    assert "last updated 28 June 2026" in english.body_text


@pytest.mark.usefixtures("gwen_and_tom")
def test_overdue_priorities_are_named_in_welsh_to_an_officer_who_reads_welsh(area):
    area.name_cy = "Tre Norman"
    area.save(update_fields=["name_cy"])
    priority = PriorityFactory(
        neighbourhood=area, issue="Speeding on Harvey Road", issue_cy="Goryrru ar Ffordd Harvey"
    )
    type(priority).objects.filter(pk=priority.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=100)
    )

    overdue_priorities_notify(now=NOW)

    welsh = OutboxEmail.objects.get(to=["gwen@example.police.uk"])
    english = OutboxEmail.objects.get(to=["tom@example.police.uk"])
    assert welsh.subject == "Tre Norman: mae angen adolygu 1 blaenoriaeth leol"
    assert "- Goryrru ar Ffordd Harvey (ar agor, diweddarwyd ddiwethaf" in welsh.body_text
    assert "Goryrru ar Ffordd Harvey</a> (ar agor," in welsh.body_html
    assert "Normanton" not in welsh.body_text + welsh.body_html
    assert "Speeding" not in welsh.body_text + welsh.body_html
    assert english.subject == "Normanton: 1 local priority needs reviewing"
    assert "- Speeding on Harvey Road (open, last updated" in english.body_text
    assert "Tre Norman" not in english.body_text + english.body_html


# --- Dates on the Welsh pages ----------------------------------------------------------------


def test_the_welsh_survey_page_writes_its_days_as_welsh_does(client, survey):
    page = client.get(f"/cy/have-your-say/{survey.pk}/").content.decode()

    # Monday 19 October 2026: "dydd Llun", never Django's capitalised "Dydd Llun".
    assert "dydd Llun 19 Hydref 2026" in page
    assert "Dydd Llun" not in page


def test_the_english_survey_page_keeps_its_english_days(client, survey):
    page = client.get(f"/have-your-say/{survey.pk}/").content.decode()

    assert "Open until the end of Monday 19 October 2026." in page


def test_a_welsh_answer_is_confirmed_with_the_welsh_of_the_survey_where_written(client, survey):
    survey.question_cy = "Ar beth ddylem ni ganolbwyntio nesaf?"
    survey.save()
    survey.options.update(label_cy="Goryrru")
    survey.neighbourhood.name_cy = "Normanton (Cymraeg)"
    survey.neighbourhood.save()

    assert answer(client, survey, "/cy").status_code == 302

    email = OutboxEmail.objects.get(to=[RESIDENT])
    assert email.subject == "Cadarnhau eich ateb: Ar beth ddylem ni ganolbwyntio nesaf?"
    assert "tîm plismona cymdogaeth Normanton (Cymraeg):" in email.body_text
    assert "Eich ateb: Goryrru" in email.body_text
