"""The demo's Have your say data: open surveys in two neighbourhoods, a closed one with
results, comments in every moderation state and supported priorities; seeding twice changes
nothing."""

import pytest
from django.core.management import call_command

from engagement import surveys
from engagement.models import PrioritySupport, Survey, SurveyOption, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo")


def _snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Survey, SurveyOption, SurveyResponse, PrioritySupport)
    }


def test_demo_has_open_surveys_in_two_neighbourhoods(seeded):
    today = surveys.today_in_london()
    open_now = [s for s in Survey.objects.all() if surveys.survey_status(s, today=today) == "open"]

    assert len({s.neighbourhood_id for s in open_now}) == 2
    assert all(surveys.survey_results(survey=s, public=False).total for s in open_now)


def test_demo_has_comments_in_every_moderation_state(seeded):
    states = set(SurveyResponse.objects.exclude(free_text="").values_list("moderation", flat=True))

    assert states == {"pending", "approved", "rejected"}


def test_demo_has_a_closed_survey_with_public_results(seeded):
    today = surveys.today_in_london()
    [closed] = [
        s for s in Survey.objects.all() if surveys.survey_status(s, today=today) == "closed"
    ]

    results = surveys.survey_results(survey=closed, public=True)
    assert results.total > 0
    assert results.free_texts


def test_demo_has_supported_priorities(seeded):
    assert PrioritySupport.objects.filter(confirmed_at__isnull=False).count() > 10


def test_demo_comments_hold_no_contact_details(seeded):
    for survey in Survey.objects.all():
        for comment in surveys.survey_results(survey=survey, public=False).free_texts:
            assert "07700" not in comment.text


def test_seeding_twice_changes_no_survey_data(seeded):
    before = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == before
