"""Have your say pages: residents answer and confirm, see results once closed; officers add,
change and moderate surveys, and everyone else is refused. Pages never give a 500 and run a
fixed number of queries however many answers there are."""

import datetime
import re

import pytest
import time_machine

from config.dates import LONDON
from config.roles import Role
from engagement import answers, surveys
from engagement.models import Priority, PrioritySupport, Survey, SurveyResponse
from notifications.models import OutboxEmail
from officers.models import Assignment
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.form_data import with_date_boxes
from tests.html import element, elements, hrefs, rows, texts, title

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 10, 6, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
RESIDENT = "sam@example.com"


@pytest.fixture
def officer(area, officer_account):
    officer = OfficerFactory(user=officer_account)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer_account


def make_survey(area, *, days_ago=0, days_open=14, question="What should we focus on next?"):
    opens_on = TODAY - datetime.timedelta(days=days_ago)
    survey = Survey.objects.create(
        neighbourhood=area,
        question=question,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=days_open - 1),
        allow_free_text=True,
    )
    for position, label in enumerate(["Speeding", "Burglary"]):
        survey.options.create(label=label, position=position)
    return survey


@pytest.fixture
def survey(area):
    return make_survey(area)


@pytest.fixture
def closed(area):
    return make_survey(area, days_ago=20, days_open=14, question="Which evening suits you?")


def add_answers(survey, count, *, label="Speeding", text="", moderation="pending", prefix="r"):
    option = survey.options.get(label=label)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            option=option,
            free_text=text,
            moderation=moderation,
            email_hash=answers.email_hash(f"{prefix}{label}{n}@example.com"),
            confirm_token_hash=f"{survey.pk}-{prefix}-{label}-{n}",
            confirmed_at=NOW,
        )
        for n in range(count)
    )


def post_answer(client, survey, **fields):
    data = {"option": survey.options.get(label="Speeding").pk, "email": RESIDENT, **fields}
    return client.post(f"/have-your-say/{survey.pk}/", data)


def confirm_link() -> str:
    body = OutboxEmail.objects.order_by("-pk")[0].body_text
    return re.search(r"/have-your-say/confirm/[\w-]+/", body).group(0)


# --- Residents --------------------------------------------------------------------------------


def test_open_survey_shows_the_form_with_the_free_text_hint(client, survey):
    page = client.get(f"/have-your-say/{survey.pk}/").content.decode()

    assert elements(page, "input", type="radio")
    assert "Do not include names, addresses, phone numbers or email addresses" in page
    assert element(page, "input", name="website")  # the honeypot


def test_answer_goes_to_check_your_email(client, survey):
    response = post_answer(client, survey, free_text="More patrols")

    assert response.status_code == 302
    assert "Check your email" in client.get(response.url).content.decode()
    assert SurveyResponse.objects.get().confirmed_at is None


def test_confirm_link_shows_a_button_and_confirms_only_on_post(client, survey):
    post_answer(client, survey)
    link = confirm_link()

    page = client.get(link).content.decode()
    assert "Confirm my answer" in page
    assert SurveyResponse.objects.get().confirmed_at is None

    page = client.post(link).content.decode()
    assert "Your answer is counted" in page
    assert SurveyResponse.objects.get().confirmed_at is not None


def test_second_answer_from_the_same_address_says_already_answered(client, survey):
    post_answer(client, survey)
    client.post(confirm_link())
    post_answer(client, survey, option=survey.options.get(label="Burglary").pk)

    page = client.post(confirm_link()).content.decode()

    assert "You have already answered this survey" in page
    assert surveys.survey_results(survey=survey, public=False).total == 1


def test_confirm_page_is_private(client, survey):
    post_answer(client, survey)

    response = client.get(confirm_link())

    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_expired_link_says_so(client, survey):
    post_answer(client, survey)
    link = confirm_link()

    with time_machine.travel(NOW + datetime.timedelta(days=8), tick=False):
        page = client.get(link).content.decode()

    assert "This link has expired" in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"option": "999999", "email": RESIDENT},
        {"option": "not a number", "email": RESIDENT},
        {"option": "", "email": "not an address"},
        {"free_text": "x" * 5000, "email": RESIDENT},
    ],
)
def test_bad_answers_show_the_error_summary(client, survey, data):
    response = client.post(f"/have-your-say/{survey.pk}/", data)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_filled_honeypot_stores_and_sends_nothing(client, survey):
    response = post_answer(client, survey, website="http://spam.example")

    assert response.status_code == 302
    assert not SurveyResponse.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_too_many_answers_from_one_address_are_refused(client, survey, settings):
    settings.HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        post_answer(client, survey)

    response = post_answer(client, survey)

    assert response.status_code == 429
    assert "You can send this again after" in response.content.decode()
    assert SurveyResponse.objects.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "/have-your-say/999999/",
        "/have-your-say/confirm/not-a-token/",
        "/have-your-say/abc/",
    ],
)
def test_unknown_survey_or_link_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_survey_not_yet_open_says_when_it_opens(client, area):
    survey = make_survey(area, days_ago=-3)

    page = client.get(f"/have-your-say/{survey.pk}/").content.decode()

    assert "This survey is not open yet" in page
    assert not elements(page, "input", type="radio")


def test_answer_posted_to_a_closed_survey_shows_the_results(client, closed):
    response = post_answer(client, closed)

    assert response.status_code == 200
    assert "This survey closed on" in response.content.decode()
    assert "This survey closed before your answer arrived, so it was not counted" in (
        response.content.decode()
    )
    assert not SurveyResponse.objects.exists()


def test_closed_survey_shows_results_and_only_approved_comments_escaped(client, closed):
    add_answers(closed, 3, label="Speeding")
    add_answers(
        closed, 1, label="Burglary", text="<script>alert(1)</script> ok", moderation="approved"
    )
    add_answers(closed, 1, label="Burglary", text="Waiting comment", prefix="w")
    add_answers(
        closed, 1, label="Burglary", text="Rejected comment", moderation="rejected", prefix="x"
    )

    page = client.get(f"/have-your-say/{closed.pk}/").content.decode()

    assert "Answers: 6 confirmed" in page
    assert any(row[:2] == ["Speeding", "3"] and row[2].startswith("50%") for row in rows(page))
    assert any(row[:2] == ["Burglary", "3"] and row[2].startswith("50%") for row in rows(page))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ok" in page
    assert "<script>alert" not in page
    assert "Waiting comment" not in page
    assert "Rejected comment" not in page


def test_open_survey_results_are_not_public(client, survey):
    add_answers(survey, 2, text="Secret until closed", moderation="approved")

    page = client.get(f"/have-your-say/{survey.pk}/").content.decode()

    assert "Secret until closed" not in page


def test_closed_survey_page_runs_a_fixed_number_of_queries(
    client, closed, django_assert_max_num_queries
):
    add_answers(closed, 300, label="Speeding", text="Approved", moderation="approved")
    add_answers(closed, 200, label="Burglary")

    with django_assert_max_num_queries(4):
        response = client.get(f"/have-your-say/{closed.pk}/")

    assert response.status_code == 200
    assert response.content.decode().count("Approved") == 300


# --- The neighbourhood page -------------------------------------------------------------------


def test_neighbourhood_page_links_to_open_surveys_and_closed_results(client, area, survey, closed):
    later = make_survey(area, days_ago=-2, question="Not open yet")

    page = client.get(area.get_absolute_url()).content.decode()

    assert "Have your say" in page
    assert f"/have-your-say/{survey.pk}/" in hrefs(page)
    assert f"Results: {closed.question}" in page
    assert later.question not in page


def test_neighbourhood_page_shows_a_survey_that_opened_today(client, area):
    survey = make_survey(area, days_ago=-1)
    client.get(area.get_absolute_url())

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        page = client.get(area.get_absolute_url()).content.decode()

    assert f"/have-your-say/{survey.pk}/" in hrefs(page)


def test_neighbourhood_page_queries_stay_fixed_with_many_surveys_and_supports(
    client, area, django_assert_max_num_queries
):
    for n in range(30):
        survey = make_survey(area, days_ago=n * 20, question=f"Survey {n}")
        add_answers(survey, 20)
    priorities = Priority.objects.bulk_create(
        Priority(neighbourhood=area, issue=f"Issue {n}", issue_date=TODAY) for n in range(30)
    )
    PrioritySupport.objects.bulk_create(
        PrioritySupport(
            priority=priority,
            email_hash=f"h{n}",
            confirm_token_hash=f"{priority.pk}-{n}",
            confirmed_at=NOW,
        )
        for priority in priorities
        for n in range(10)
    )

    with django_assert_max_num_queries(7):
        response = client.get(area.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("10 residents support this") == 10
    assert page.count("Support this priority") == 10


# --- Staff ------------------------------------------------------------------------------------


def survey_post(**fields):
    data = {
        "question": "What should we focus on next?",
        "description": "",
        "options": "Speeding\r\nBurglary\r\n\r\nDrug dealing",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
        **fields,
    }
    return with_date_boxes(data, "opens_on", "closes_on")


def test_officer_adds_a_survey_through_the_form(client, officer, area):
    client.force_login(officer)

    response = client.post("/staff/surveys/new/", survey_post(neighbourhood=area.pk))

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response.url == f"/staff/surveys/{survey.pk}/"
    assert list(survey.options.values_list("label", flat=True)) == [
        "Speeding",
        "Burglary",
        "Drug dealing",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"options": "Only one"}, "Enter at least 2 options"),
        ({"opens_on_month": "13"}, "The date the survey opens must be a real date"),
        ({"closes_on_day": ""}, "The date the survey closes must include a day"),
        ({"closes_on": "2026-10-01"}, "same as or after the opening date"),
        ({"neighbourhood": "999999"}, "Choose one of the neighbourhoods you look after"),
        ({"question": ""}, "Enter the question"),
    ],
)
def test_survey_form_shows_errors(client, officer, area, fields, message):
    client.force_login(officer)

    response = client.post(
        "/staff/surveys/new/", survey_post(**{"neighbourhood": area.pk, **fields})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Survey.objects.exists()


def test_officer_cannot_add_a_survey_to_a_neighbourhood_they_do_not_look_after(client, officer):
    elsewhere = NeighbourhoodFactory()
    client.force_login(officer)

    response = client.post("/staff/surveys/new/", survey_post(neighbourhood=elsewhere.pk))

    assert "Choose one of the neighbourhoods you look after" in response.content.decode()
    assert not Survey.objects.exists()


def test_options_cannot_change_on_the_edit_form_once_answered(client, officer, survey):
    add_answers(survey, 1)
    client.force_login(officer)

    response = client.post(f"/staff/surveys/{survey.pk}/edit/", survey_post(options="A\nB"))

    assert "cannot change once residents have answered" in response.content.decode()
    assert list(survey.options.values_list("label", flat=True)) == ["Speeding", "Burglary"]


def test_staff_results_show_counts_and_every_comment(client, officer, survey):
    add_answers(survey, 3, text="Please patrol the park")
    client.force_login(officer)

    page = client.get(f"/staff/surveys/{survey.pk}/").content.decode()

    assert "Answers: 3 confirmed" in page
    assert page.count("Please patrol the park") == 3
    assert "Waiting for moderation" in page


def test_officer_approves_a_comment_and_residents_see_it_once_closed(client, officer, closed):
    add_answers(closed, 1, text="Please patrol the park")
    response_row = SurveyResponse.objects.get()
    client.force_login(officer)

    response = client.post(
        f"/staff/surveys/{closed.pk}/answers/{response_row.pk}/moderate/", {"decision": "approve"}
    )

    assert response.status_code == 302
    response_row.refresh_from_db()
    assert response_row.moderation == "approved"
    client.logout()
    assert "Please patrol the park" in client.get(f"/have-your-say/{closed.pk}/").content.decode()


def test_garbage_moderation_decision_changes_nothing(client, officer, survey):
    add_answers(survey, 1, text="A comment")
    row = SurveyResponse.objects.get()
    client.force_login(officer)

    response = client.post(
        f"/staff/surveys/{survey.pk}/answers/{row.pk}/moderate/", {"decision": "publish"}
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.moderation == "pending"


def test_staff_list_shows_statuses_counts_and_supported_priorities(
    client, officer, area, survey, closed
):
    add_answers(survey, 2, text="Comment")
    priority = Priority.objects.create(neighbourhood=area, issue="Litter", issue_date=TODAY)
    PrioritySupport.objects.create(
        priority=priority, email_hash="h", confirm_token_hash="t", confirmed_at=NOW
    )
    client.force_login(officer)

    page = client.get("/staff/surveys/").content.decode()

    assert "Open" in texts(page, "strong")
    assert "Closed" in texts(page, "strong")
    assert "Supported priorities" in page
    assert any(row[:2] == ["Litter", "1"] for row in rows(page))


def test_staff_home_links_to_surveys(client, officer):
    client.force_login(officer)

    page = client.get("/staff/").content.decode()

    assert "/staff/surveys/" in hrefs(page)
    assert "Have your say surveys" in page


def test_staff_list_runs_a_fixed_number_of_queries(
    client, administrator_account, django_assert_max_num_queries
):
    for n in range(20):
        area = NeighbourhoodFactory()
        for m in range(3):
            add_answers(make_survey(area, days_ago=m * 20, question=f"Q{m}"), 5, text="C")
        priority = Priority.objects.create(neighbourhood=area, issue="Litter", issue_date=TODAY)
        PrioritySupport.objects.create(
            priority=priority, email_hash="h", confirm_token_hash=f"t{n}", confirmed_at=NOW
        )
    client.force_login(administrator_account)

    with django_assert_max_num_queries(8):
        response = client.get("/staff/surveys/")

    assert response.status_code == 200
    assert response.content.decode().count("/staff/surveys/") >= 60


def test_staff_results_run_a_fixed_number_of_queries(
    client, officer, survey, django_assert_max_num_queries
):
    add_answers(survey, 300, text="Comment")
    add_answers(survey, 100, label="Burglary")
    client.force_login(officer)

    with django_assert_max_num_queries(9):
        response = client.get(f"/staff/surveys/{survey.pk}/")

    assert response.status_code == 200
    assert response.content.decode().count("Waiting for moderation") == 300


# --- Refusals ---------------------------------------------------------------------------------


STAFF_PAGES = ["/staff/surveys/", "/staff/surveys/new/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert "/staff/sign-in/" in response.url


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_opcc_users_are_refused(client, opcc_account, url):
    client.force_login(opcc_account)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_accounts_without_a_role_are_refused(client, make_account, url):
    client.force_login(make_account())

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("path", ["", "edit/"])
def test_officer_of_another_neighbourhood_cannot_see_a_survey(client, make_account, survey, path):
    other = make_account(Role.OFFICER)
    AssignmentFactory(officer=OfficerFactory(user=other))
    client.force_login(other)

    assert client.get(f"/staff/surveys/{survey.pk}/{path}").status_code == 403


def test_officer_of_another_neighbourhood_cannot_edit_a_survey(client, make_account, survey):
    other = make_account(Role.OFFICER)
    client.force_login(other)

    response = client.post(f"/staff/surveys/{survey.pk}/edit/", survey_post(question="Hijacked"))

    assert response.status_code == 403
    survey.refresh_from_db()
    assert survey.question != "Hijacked"


def test_officer_of_another_neighbourhood_cannot_moderate(client, make_account, survey):
    add_answers(survey, 1, text="A comment")
    row = SurveyResponse.objects.get()
    client.force_login(make_account(Role.OFFICER))

    response = client.post(
        f"/staff/surveys/{survey.pk}/answers/{row.pk}/moderate/", {"decision": "approve"}
    )

    assert response.status_code == 403
    row.refresh_from_db()
    assert row.moderation == "pending"


def test_answer_of_another_survey_cannot_be_moderated_through_this_one(
    client, officer, area, survey
):
    other = make_survey(area, question="Other")
    add_answers(other, 1, text="A comment")
    row = SurveyResponse.objects.get()
    client.force_login(officer)

    response = client.post(
        f"/staff/surveys/{survey.pk}/answers/{row.pk}/moderate/", {"decision": "approve"}
    )

    assert response.status_code == 404


def test_unknown_survey_is_a_404_for_staff(client, officer):
    client.force_login(officer)

    assert client.get("/staff/surveys/999999/").status_code == 404


def test_moderation_needs_post(client, officer, survey):
    add_answers(survey, 1, text="A comment")
    row = SurveyResponse.objects.get()
    client.force_login(officer)

    response = client.get(f"/staff/surveys/{survey.pk}/answers/{row.pk}/moderate/")

    assert response.status_code == 405


def test_an_officer_who_chose_welsh_gets_the_survey_form_errors_in_welsh(
    client, settings, officer, area
):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = client.post(
        "/staff/surveys/new/", survey_post(neighbourhood=area.pk, question="", options="Speeding")
    )

    page = response.content.decode()
    assert title(page).startswith("Gwall: Ychwanegu arolwg")
    assert "Rhowch y cwestiwn" in page
    assert "Rhowch o leiaf 2 dewis, un ar bob llinell" in page
    assert "Enter at least" not in page
    assert not Survey.objects.exists()


def test_an_officer_who_chose_welsh_is_told_in_welsh_that_the_comment_is_approved(
    client, settings, officer, closed
):
    add_answers(closed, 1, text="Please patrol the park")
    row = SurveyResponse.objects.get()
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = client.post(
        f"/staff/surveys/{closed.pk}/answers/{row.pk}/moderate/",
        {"decision": "approve"},
        follow=True,
    )

    page = response.content.decode()
    assert "Mae’r sylw wedi’i gymeradwyo: mae trigolion yn ei weld gyda’r canlyniadau." in page
    assert "Sylw 1:" in page
    assert "The comment is approved" not in page
