"""'Did this answer your query?': asked once per answer that stopped a clock, on the tracking
page and through the answer email's signed link; the comment for the officers who answer, gone
with the query's personal data."""

import datetime
import operator
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertInHTML

from config.roles import Role
from config.text import line_breaks_normalised, plain_text
from notifications.models import OutboxEmail
from queries.forms import AnswerFeedbackForm
from queries.models import AnswerFeedback, Query, ResponseClock
from queries.services.feedback import ALREADY_GIVEN, answer_feedback_give
from queries.services.resident import query_resident_reply, query_submit
from queries.services.sla import queries_anonymise_expired
from queries.services.staff import query_reply
from tests.html import element, elements, title
from tests.queries.factories import neighbourhood_with_team

pytestmark = pytest.mark.django_db

# Within the team's assignments, which the factories start 30 days ago.
SENT_AT = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0) - datetime.timedelta(days=5)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def team(make_account):
    neighbourhood, officers = neighbourhood_with_team(name="Derby City Centre")
    for officer in officers.values():
        officer.user = make_account(Role.OFFICER)
        officer.save(update_fields=["user"])
    return neighbourhood, officers


def sent(neighbourhood, **fields) -> tuple[Query, str]:
    contact = {"name": "Sam Resident", "email": "sam@example.com", "phone": ""}
    contact.update(fields)
    with time_machine.travel(SENT_AT, tick=False):
        return query_submit(
            neighbourhood=neighbourhood,
            topic="road_safety",
            message="Cars race down Fox Lane at night.",
            contact_preference="email",
            **contact,
        )


def answered(query: Query, officer, at=SENT_AT + HOUR, body="We will patrol Fox Lane."):
    with time_machine.travel(at, tick=False):
        return query_reply(query=query, by=officer.user, message=body, now=at)


def told(page: str) -> list[str]:
    """The answers the page says the resident gave, in bold after saying so."""
    return [
        strong.text
        for strong in elements(page, "strong")
        if "You told us whether this answered your query:" in strong.parent.text
    ]


def track(token: str, name: str = "track", **kwargs) -> str:
    return reverse(f"queries:{name}", kwargs={"token": token, **kwargs})


def feedback_link(query: Query) -> str:
    """The question's link in the latest reply email to the resident, as a path."""
    email = OutboxEmail.objects.filter(query_link__query=query, subject__startswith="Reply").latest(
        "pk"
    )
    url = re.search(r"https?://\S+/queries/answer/\S+/", email.body_text).group(0)
    return url[url.index("/queries/") :]


# --- The tracking page --------------------------------------------------------------------------


def test_the_tracking_page_asks_about_an_answer_and_records_partly_with_a_comment(client, team):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    before = client.get(track(token)).content.decode()
    answered(query, officers["named"])

    page = client.get(track(token)).content.decode()
    response = client.post(
        track(token, "track_feedback", number=1),
        {"rating": "partly", "comment": "Helpful, but the racing goes on."},
    )

    assert "Did this answer your query?" not in before
    assert "Did this answer your query?" in page
    assert element(page, "input", name="rating", type="radio", value="partly")
    assert response.status_code == 302
    assert response["Location"].endswith("#feedback")
    feedback = AnswerFeedback.objects.get()
    assert (feedback.rating, feedback.comment) == ("partly", "Helpful, but the racing goes on.")
    assert feedback.clock.number == 1
    after = client.get(response["Location"]).content.decode()
    assert told(after) == ["Partly"]
    assert not elements(after, "*", name="rating")


def test_a_second_answer_for_the_same_reply_is_refused_and_the_first_stands(client, team):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    answered(query, officers["named"])
    client.post(track(token, "track_feedback", number=1), {"rating": "yes"})

    response = client.post(track(token, "track_feedback", number=1), {"rating": "no"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == ALREADY_GIVEN
    assert list(AnswerFeedback.objects.values_list("rating", flat=True)) == ["yes"]


def test_a_later_answer_that_stops_a_new_clock_is_asked_about_again(client, team):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    answered(query, officers["named"])
    client.post(track(token, "track_feedback", number=1), {"rating": "no"})
    query_resident_reply(query=query, message="It happened again.", now=SENT_AT + 2 * HOUR)
    answered(query, officers["named"], at=SENT_AT + 3 * HOUR, body="We came by.")
    # A further reply while nothing is owed stops no clock and is not asked about.
    answered(query, officers["named"], at=SENT_AT + 4 * HOUR, body="And again.")

    page = client.get(track(token)).content.decode()
    client.post(track(token, "track_feedback", number=2), {"rating": "yes"})

    assert elements(page, "*", name="rating")
    assert track(token, "track_feedback", number=2) in page
    assert dict(AnswerFeedback.objects.values_list("clock__number", "rating")) == {
        1: "no",
        2: "yes",
    }
    assert ResponseClock.objects.filter(query=query, answer__isnull=False).count() == 2


def test_no_rating_shows_the_error_summary_and_records_nothing(client, team):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    answered(query, officers["named"])

    response = client.post(track(token, "track_feedback", number=1), {"comment": "x" * 1201})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assertInHTML('<a href="#id_rating_0">Select yes, partly or no</a>', page)
    assert title(page).startswith(f"Error: Your query {query.reference}")
    assert "Your comment must be 1,200 characters or fewer" in page
    assert not AnswerFeedback.objects.exists()


def test_a_clock_not_answered_cannot_be_rated(client, team):
    neighbourhood, _ = team
    _query, token = sent(neighbourhood)

    response = client.post(track(token, "track_feedback", number=1), {"rating": "no"}, follow=True)

    assert "We could not find that answer" in response.content.decode()
    assert not AnswerFeedback.objects.exists()


def test_another_querys_token_cannot_rate_this_querys_answer(client, team):
    neighbourhood, officers = team
    query, _ = sent(neighbourhood)
    _other, other_token = sent(neighbourhood, email="other@example.com")
    answered(query, officers["named"])

    client.post(track(other_token, "track_feedback", number=1), {"rating": "no"})

    assert not AnswerFeedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, team, settings):
    settings.FEEDBACK_RATE_LIMIT_PER_IP = 2
    neighbourhood, officers = team
    tokens = []
    for n in range(3):
        query, token = sent(neighbourhood, email=f"r{n}@example.com")
        answered(query, officers["named"])
        tokens.append(token)

    with time_machine.travel(SENT_AT + 2 * HOUR, tick=False):
        responses = [
            client.post(
                track(token, "track_feedback", number=1), {"rating": "yes"}, REMOTE_ADDR="192.0.2.7"
            )
            for token in tokens
        ]

    assert [r.status_code for r in responses] == [302, 302, 429]
    assert "You can tell us again after" in responses[2].content.decode()
    assert AnswerFeedback.objects.count() == 2


# --- The link in the answer email ---------------------------------------------------------------


def test_the_answer_email_links_to_the_question_for_that_answer(client, team):
    neighbourhood, officers = team
    query, _ = sent(neighbourhood)
    answered(query, officers["named"])
    email = OutboxEmail.objects.filter(query_link__query=query, subject__startswith="Reply").get()
    link = feedback_link(query)

    page = client.get(link).content.decode()
    response = client.post(link, {"rating": "no", "comment": "Nobody came."})
    again = client.post(link, {"rating": "yes"}, follow=True).content.decode()

    assert "Did this answer your query?" in email.body_text
    assert link in email.body_html
    assert f"Your query {query.reference}" in page
    assert elements(page, "*", name="rating")
    assert response.status_code == 302
    assert str(ALREADY_GIVEN) in again
    assert told(again) == ["No"]
    assert list(AnswerFeedback.objects.values_list("rating", "comment")) == [("no", "Nobody came.")]


def test_a_reply_that_stops_no_clock_carries_no_question(team):
    neighbourhood, officers = team
    query, _ = sent(neighbourhood)
    answered(query, officers["named"])
    answered(query, officers["named"], at=SENT_AT + 2 * HOUR, body="One more thing.")

    latest = OutboxEmail.objects.filter(
        query_link__query=query, subject__startswith="Reply"
    ).latest("pk")

    assert "/queries/answer/" not in latest.body_text


@pytest.mark.parametrize("signed", ["1", "MQ:1abcde:forged", "x" * 300])
def test_a_link_we_did_not_sign_is_not_found(client, team, signed):
    response = client.get(reverse("queries:answer_feedback", kwargs={"signed": signed}))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


# --- Who reads the comment ----------------------------------------------------------------------


def test_the_officer_reads_the_comment_and_opcc_reads_only_the_rating(client, team, make_account):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    answered(query, officers["named"])
    client.post(
        track(token, "track_feedback", number=1), {"rating": "partly", "comment": "Ask Jo."}
    )
    detail = reverse("queries_staff:detail", kwargs={"reference": query.reference})

    client.force_login(officers["sergeant"].user)
    sergeant_page = client.get(detail).content.decode()
    client.force_login(make_account(Role.OPCC))
    opcc_page = client.get(detail).content.decode()

    assert "Did the answer help?" in sergeant_page
    assert "Ask Jo." in sergeant_page
    assertInHTML("<strong>Partly</strong>", opcc_page)
    assert "Ask Jo." not in opcc_page
    assert "only the officers who answer the query read residents" in opcc_page


# --- Retention ----------------------------------------------------------------------------------


def test_comments_go_with_the_querys_personal_data_and_ratings_stay(client, team, settings):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    answered(query, officers["named"])
    link = feedback_link(query)
    with time_machine.travel(SENT_AT + 2 * HOUR, tick=False):
        client.post(
            track(token, "track_feedback", number=1), {"rating": "no", "comment": "Jo Bloggs"}
        )

    later = SENT_AT + datetime.timedelta(days=settings.QUERY_RETENTION_DAYS + 2)
    assert queries_anonymise_expired(now=later) == 1

    feedback = AnswerFeedback.objects.get()
    assert (feedback.rating, feedback.comment) == ("no", "")
    assert client.get(link).status_code == 404


# --- Anything typed -----------------------------------------------------------------------------

RATINGS = st.one_of(st.sampled_from(["yes", "partly", "no"]), st.text(max_size=8))
TYPED = st.one_of(
    st.text(),
    st.text(min_size=1, max_size=20).map(lambda t: f"{t[:3]}\x00{t[3:]}"),
    st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(300, 1500)),
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rating=RATINGS, comment=TYPED)
def test_anything_typed_is_stored_as_typed_or_refused_with_a_message(team, rating, comment):
    neighbourhood, officers = team
    with transaction.atomic():
        query, _ = sent(neighbourhood)
        answered(query, officers["named"])
        clock = ResponseClock.objects.get(query=query)
        form = AnswerFeedbackForm({"rating": rating, "comment": comment})
        if form.is_valid():
            try:
                feedback = answer_feedback_give(clock=clock, **form.cleaned_data)
            except ValidationError as exc:
                assert all(message.strip() for message in exc.messages)
            else:
                assert feedback.comment == plain_text(line_breaks_normalised(comment))
                assert feedback.rating == rating
        else:
            assert set(form.errors) <= {"rating", "comment"}
            assert all(m.strip() for errors in form.errors.values() for m in errors)
        transaction.set_rollback(True)


def test_a_second_answer_with_no_rating_still_says_it_was_given(client, team):
    neighbourhood, officers = team
    query, token = sent(neighbourhood)
    answered(query, officers["named"])
    client.post(track(token, "track_feedback", number=1), {"rating": "yes"})

    response = client.post(track(token, "track_feedback", number=1), {}, follow=True)

    page = response.content.decode()
    assert str(ALREADY_GIVEN) in page
    assert "govuk-error-summary" not in page
