"""Have your say surveys: the services, each refusal, once per email address (also when two
confirmations race), results, moderation, contact details and the clean-up of old links."""

import datetime
import re
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from config.dates import LONDON
from config.roles import Role
from engagement import answers, surveys
from engagement.models import Survey, SurveyResponse
from engagement.tasks import delete_unconfirmed_answers
from notifications.models import OutboxEmail
from officers.models import Assignment
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory

pytestmark = pytest.mark.django_db

# Tuesday 6 October 2026, 10am in London.
NOW = datetime.datetime(2026, 10, 6, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
RESIDENT = "Sam.Resident@Example.com"


@pytest.fixture(autouse=True)
def frozen(request):
    if "transactional_db" in request.fixturenames:
        yield  # threads of their own: real time
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officer(area, officer_account):
    officer = OfficerFactory(user=officer_account)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer_account


def make_survey(area, *, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=13), **kw):
    survey = Survey.objects.create(
        neighbourhood=area,
        opens_on=opens_on,
        closes_on=closes_on,
        allow_free_text=kw.pop("allow_free_text", True),
        **kw,
    )
    for position, label in enumerate(["Speeding", "Burglary", "Drug dealing"]):
        survey.options.create(label=label, position=position)
    return survey


@pytest.fixture
def survey(area):
    return make_survey(area)


def option(survey, label):
    return survey.options.get(label=label)


def answer(survey, label="Speeding", email=RESIDENT, free_text="", **kw):
    return answers.survey_answer_submit(
        survey=survey,
        option_id=option(survey, label).pk,
        free_text=free_text,
        email=email,
        **kw,
    )


def confirmed_answer(survey, label="Speeding", email=RESIDENT, free_text=""):
    response, token = answer(survey, label, email, free_text)
    assert answers.survey_answer_confirm(token=token).outcome == answers.CONFIRMED
    response.refresh_from_db()
    return response


def survey_data(**fields):
    return {
        "question": "What should we focus on next?",
        "description": "",
        "options": ["Speeding", "Burglary"],
        "allow_free_text": False,
        "opens_on": TODAY,
        "closes_on": TODAY + datetime.timedelta(days=14),
        **fields,
    }


# --- Rules ------------------------------------------------------------------------------------


def test_email_hash_ignores_case_and_spaces_and_is_not_the_address():
    hashed = answers.email_hash(" Sam.Resident@Example.com ")

    assert hashed == answers.email_hash("sam.resident@example.com")
    assert re.fullmatch(r"[0-9a-f]{40,64}", hashed)
    assert "sam" not in hashed


def test_survey_is_open_from_its_first_to_its_last_day(survey):
    assert surveys.survey_status(survey, today=TODAY - datetime.timedelta(days=1)) == "not_yet_open"
    assert surveys.survey_status(survey, today=TODAY) == "open"
    assert surveys.survey_status(survey, today=survey.closes_on) == "open"
    assert surveys.survey_status(survey, today=survey.closes_on + datetime.timedelta(1)) == "closed"


@pytest.mark.parametrize(
    "text",
    [
        "Email me at sam.resident@example.com please",
        "sam (at) example (dot) com",
        "Ring 07700 900123 any time",
        "Ring +44 7700 900123 any time",
        "Call (01332) 613 613 after six",
        "Call 0115-496-0000",
    ],
)
def test_contact_details_are_removed_from_free_text(text):
    cleaned = surveys.contact_details_removed(text)

    assert surveys.CONTACT_REMOVED in cleaned
    assert not re.search(r"\d{3}|@|example", cleaned)


def test_ordinary_numbers_are_kept_in_free_text():
    text = "Since 2024 about 30 cars an hour; call 999 or 101 on 6/10/2026."

    assert surveys.contact_details_removed(text) == text


# --- Officers: surveys ------------------------------------------------------------------------


def test_officer_adds_a_survey_with_its_options_in_order(area, officer):
    survey = surveys.survey_create(
        user=officer, neighbourhood=area, **survey_data(options=["B", "A", "C"])
    )

    assert [o.label for o in survey.options.all()] == ["B", "A", "C"]
    assert survey.created_by == officer


def test_officer_of_another_neighbourhood_cannot_add_a_survey(officer):
    elsewhere = NeighbourhoodFactory()

    with pytest.raises(PermissionDenied):
        surveys.survey_create(user=officer, neighbourhood=elsewhere, **survey_data())


def test_opcc_user_cannot_add_a_survey(area, make_account):
    with pytest.raises(PermissionDenied):
        surveys.survey_create(user=make_account(Role.OPCC), neighbourhood=area, **survey_data())


def test_administrator_adds_a_survey_anywhere(area, administrator_account):
    survey = surveys.survey_create(user=administrator_account, neighbourhood=area, **survey_data())

    assert survey.neighbourhood == area


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"options": ["Only one"]}, "options", "at least 2"),
        ({"options": [f"Option {n}" for n in range(11)]}, "options", "no more than 10"),
        ({"options": ["Speeding", "speeding"]}, "options", "different"),
        ({"question": ""}, "question", "Enter the question"),
        ({"closes_on": TODAY - datetime.timedelta(days=1)}, "closes_on", "same as or after"),
        (
            {
                "opens_on": TODAY - datetime.timedelta(days=9),
                "closes_on": TODAY - datetime.timedelta(1),
            },
            "closes_on",
            "today or in the future",
        ),
    ],
)
def test_survey_refuses_what_does_not_make_sense(area, officer, fields, field, message):
    with pytest.raises(ValidationError) as exc:
        surveys.survey_create(user=officer, neighbourhood=area, **survey_data(**fields))

    assert message in " ".join(exc.value.message_dict[field])


def test_options_can_change_before_anyone_confirms_an_answer(survey, officer):
    answer(survey)  # not confirmed

    surveys.survey_update(
        user=officer, survey=survey, **survey_data(options=["Speeding", "Litter", "Burglary"])
    )

    assert [o.label for o in survey.options.all()] == ["Speeding", "Litter", "Burglary"]
    assert SurveyResponse.objects.count() == 1  # its answer, to an option that stayed


def test_options_cannot_change_once_an_answer_is_confirmed(survey, officer):
    confirmed_answer(survey)

    with pytest.raises(ValidationError) as exc:
        surveys.survey_update(user=officer, survey=survey, **survey_data(options=["A", "B"]))

    assert "cannot change" in exc.value.message_dict["options"][0]
    assert survey.options.count() == 3


def test_dates_can_change_once_answers_are_confirmed(survey, officer):
    confirmed_answer(survey)
    later = survey.closes_on + datetime.timedelta(days=7)
    labels = [o.label for o in survey.options.all()]

    surveys.survey_update(
        user=officer, survey=survey, **survey_data(options=labels, closes_on=later)
    )

    survey.refresh_from_db()
    assert survey.closes_on == later


def test_officer_of_another_neighbourhood_cannot_change_a_survey(survey, make_account):
    other = make_account(Role.OFFICER)
    AssignmentFactory(officer=OfficerFactory(user=other))

    with pytest.raises(PermissionDenied):
        surveys.survey_update(user=other, survey=survey, **survey_data())


# --- Residents: answering and confirming ------------------------------------------------------


def test_answer_is_stored_unconfirmed_with_only_a_hash_of_the_address(survey):
    response, token = answer(survey, free_text="More patrols please")

    assert response.confirmed_at is None
    assert response.email_hash == answers.email_hash(RESIDENT)
    stored = SurveyResponse.objects.filter(pk=response.pk).values()[0]
    assert not any("example.com" in str(value).lower() for value in stored.values())
    assert token not in str(stored)


def test_answer_emails_a_confirmation_link_that_is_forgotten_after_sending(survey):
    _response, token = answer(survey)

    email = OutboxEmail.objects.get()
    assert email.to == [RESIDENT.lower()]
    assert f"/have-your-say/confirm/{token}/" in email.body_text
    assert email.redact_after_send
    assert email.forget_after == NOW + datetime.timedelta(days=7)


def test_free_text_is_stored_without_contact_details(survey):
    response, _ = answer(survey, free_text="Call me on 07700 900123")

    assert response.free_text == f"Call me on {surveys.CONTACT_REMOVED}"


def test_free_text_is_dropped_when_the_survey_does_not_ask_for_it(area):
    survey = make_survey(area, allow_free_text=False)

    response, _ = answer(survey, free_text="Something")

    assert response.free_text == ""


def test_answer_to_a_survey_not_yet_open_is_refused(area):
    survey = make_survey(area, opens_on=TODAY + datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as exc:
        answer(survey)

    assert exc.value.code == answers.SURVEY_NOT_OPEN


def test_answer_to_a_closed_survey_is_refused(area):
    survey = make_survey(
        area, opens_on=TODAY - datetime.timedelta(days=9), closes_on=TODAY - datetime.timedelta(1)
    )

    with pytest.raises(ValidationError):
        answer(survey)


def test_option_of_another_survey_is_refused(survey, area):
    other = make_survey(area)

    with pytest.raises(ValidationError) as exc:
        answers.survey_answer_submit(
            survey=survey, option_id=option(other, "Speeding").pk, free_text="", email=RESIDENT
        )

    assert "option" in exc.value.message_dict


def test_bad_email_address_is_refused(survey):
    with pytest.raises(ValidationError) as exc:
        answer(survey, email="not an address")

    assert "email" in exc.value.message_dict


def test_confirming_counts_the_answer(survey):
    response, token = answer(survey)

    result = answers.survey_answer_confirm(token=token)

    response.refresh_from_db()
    assert result.outcome == answers.CONFIRMED
    assert response.confirmed_at == NOW


def test_confirming_twice_says_it_is_already_counted(survey):
    _response, token = answer(survey)
    answers.survey_answer_confirm(token=token)

    assert answers.survey_answer_confirm(token=token).outcome == answers.ALREADY_CONFIRMED


def test_second_answer_from_the_same_address_is_not_counted(survey):
    first = confirmed_answer(survey, "Speeding")
    second, token = answer(survey, "Burglary", email=" sam.resident@EXAMPLE.com")

    result = answers.survey_answer_confirm(token=token)

    second.refresh_from_db()
    first.refresh_from_db()
    assert result.outcome == answers.ALREADY_ANSWERED
    assert second.confirmed_at is None
    assert first.confirmed_at is not None
    assert surveys.survey_results(survey=survey, public=False).total == 1


def test_same_address_may_answer_another_survey(survey, area):
    confirmed_answer(survey)
    other = make_survey(area)

    assert confirmed_answer(other).confirmed_at is not None


def test_expired_link_does_not_count(survey):
    response, token = answer(survey)

    result = answers.survey_answer_confirm(token=token, now=NOW + datetime.timedelta(days=7))

    response.refresh_from_db()
    assert result.outcome == answers.EXPIRED
    assert response.confirmed_at is None


def test_link_confirmed_after_the_survey_closed_does_not_count(area):
    survey = make_survey(area, closes_on=TODAY)
    response, token = answer(survey)

    result = answers.survey_answer_confirm(token=token, now=NOW + datetime.timedelta(days=1))

    response.refresh_from_db()
    assert result.outcome == answers.SURVEY_NOT_OPEN
    assert response.confirmed_at is None


def test_unknown_token_is_no_ones():
    with pytest.raises(SurveyResponse.DoesNotExist):
        answers.survey_answer_confirm(token="no-such-token")


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_racing_count_once(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections")
    area = NeighbourhoodFactory()
    today = surveys.today_in_london()
    survey = make_survey(
        area, opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(1)
    )
    tokens = [answer(survey, label)[1] for label in ("Speeding", "Burglary")]
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm(token):
        try:
            barrier.wait()
            outcomes.append(answers.survey_answer_confirm(token=token).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [answers.ALREADY_ANSWERED, answers.CONFIRMED]
    assert SurveyResponse.objects.filter(confirmed_at__isnull=False).count() == 1


# --- Results and moderation -------------------------------------------------------------------


@pytest.fixture
def answered(survey):
    """Confirmed: 3 Speeding, 1 Burglary; 2 unconfirmed Drug dealing (not counted)."""
    for n in range(3):
        confirmed_answer(survey, "Speeding", email=f"a{n}@example.com", free_text=f"Comment {n}")
    confirmed_answer(survey, "Burglary", email="b@example.com")
    for n in range(2):
        answer(survey, "Drug dealing", email=f"c{n}@example.com", free_text="Not confirmed")
    return survey


def test_results_count_confirmed_answers_with_percentages(answered):
    results = surveys.survey_results(survey=answered, public=False)

    assert results.total == 4
    assert [(r.option.label, r.count, r.percent) for r in results.options] == [
        ("Speeding", 3, 75),
        ("Burglary", 1, 25),
        ("Drug dealing", 0, 0),
    ]


def test_staff_see_every_confirmed_comment(answered):
    results = surveys.survey_results(survey=answered, public=False)

    assert [c.text for c in results.free_texts] == ["Comment 0", "Comment 1", "Comment 2"]
    assert {c.moderation for c in results.free_texts} == {"pending"}


def test_public_see_only_approved_comments(answered, officer):
    first, second, _third = SurveyResponse.objects.exclude(free_text="").filter(
        confirmed_at__isnull=False
    )
    surveys.survey_response_moderate(user=officer, response=first, approve=True)
    surveys.survey_response_moderate(user=officer, response=second, approve=False)

    results = surveys.survey_results(survey=answered, public=True)

    assert [c.text for c in results.free_texts] == ["Comment 0"]


def test_approved_comment_is_shown_without_contact_details(survey, officer):
    response = confirmed_answer(survey, free_text="Tell PC Smith")
    SurveyResponse.objects.filter(pk=response.pk).update(free_text="Ring 07700 900123 now")
    surveys.survey_response_moderate(user=officer, response=response, approve=True)

    [comment] = surveys.survey_results(survey=survey, public=True).free_texts

    assert comment.text == f"Ring {surveys.CONTACT_REMOVED} now"


def test_moderation_records_who_and_when(survey, officer):
    response = confirmed_answer(survey, free_text="More patrols")

    surveys.survey_response_moderate(user=officer, response=response, approve=True)

    response.refresh_from_db()
    assert response.moderation == SurveyResponse.Moderation.APPROVED
    assert response.moderated_by == officer
    assert response.moderated_at == NOW


def test_officer_of_another_neighbourhood_cannot_moderate(survey, make_account):
    response = confirmed_answer(survey, free_text="More patrols")
    other = make_account(Role.OFFICER)

    with pytest.raises(PermissionDenied):
        surveys.survey_response_moderate(user=other, response=response, approve=True)


def test_unconfirmed_answer_cannot_be_moderated(survey, officer):
    response, _ = answer(survey, free_text="More patrols")

    with pytest.raises(ValidationError):
        surveys.survey_response_moderate(user=officer, response=response, approve=True)


def test_comments_waiting_for_moderation_are_counted_for_the_officer(
    answered, officer, make_account
):
    first = SurveyResponse.objects.exclude(free_text="").filter(confirmed_at__isnull=False)[0]
    surveys.survey_response_moderate(user=officer, response=first, approve=True)

    assert surveys.survey_answers_awaiting_moderation_count(user=officer) == 2
    assert surveys.survey_answers_awaiting_moderation_count(user=make_account(Role.OFFICER)) == 0


# --- Privacy ----------------------------------------------------------------------------------


def test_old_unconfirmed_answers_are_deleted(survey):
    old, _ = answer(survey, email="old@example.com")
    kept = confirmed_answer(survey, email="kept@example.com")
    with time_machine.travel(NOW + datetime.timedelta(days=6), tick=False):
        recent, _ = answer(survey, email="recent@example.com")

    deleted = answers.unconfirmed_answers_delete(now=NOW + datetime.timedelta(days=7, seconds=1))

    assert deleted == 1
    remaining = set(SurveyResponse.objects.values_list("pk", flat=True))
    assert remaining == {kept.pk, recent.pk}
    assert old.pk not in remaining


def test_the_daily_task_deletes_old_unconfirmed_answers(survey):
    answer(survey, email="old@example.com")

    with time_machine.travel(NOW + datetime.timedelta(days=8), tick=False):
        assert delete_unconfirmed_answers() == 1

    assert not SurveyResponse.objects.exists()
