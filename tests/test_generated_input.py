"""Generated input on the public forms and the services behind them (Hypothesis).

Whatever a resident types (control characters, NUL bytes, right-to-left marks, HTML, CSV
formula prefixes, very long text, any Unicode that is not a lone surrogate) is either stored as
typed, after the documented normalisation, or refused with a ValidationError or a form error
whose message is a non-empty string naming a field the form has. Nothing else is raised, and
no NUL byte reaches PostgreSQL, which refuses them.

Each example runs in a savepoint that is rolled back, so examples do not see each other's rows.
"""

import datetime
import operator
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alerts.forms import SubscribeForm
from alerts.models import Subscriber
from alerts.subscriptions import Choices, subscriber_subscribe
from config.forms import add_service_errors
from config.phones import phone_number_format
from config.text import line_breaks_normalised, plain_text
from engagement.answers import email_hash, priority_support_submit, survey_answer_submit
from engagement.forms import AnswerForm, SupportForm
from engagement.models import PrioritySupport, Survey, SurveyResponse
from engagement.surveys import contact_details_removed
from meetings.forms import RegistrationForm
from meetings.models import Registration
from meetings.services.registrations import registration_create
from neighbourhoods.forms import NeighbourhoodSearchForm
from neighbourhoods.search import SearchResult, search_text
from officers.selectors import neighbourhood_choices
from queries.forms import ContactForm, FollowUpForm, NewLinkForm
from queries.models import ContactPreference, Query, QueryEvent, Topic
from queries.services.resident import (
    query_resident_reply,
    query_submit,
    query_tracking_link_renew,
)
from tests.factories import EventFactory, PostcodeFactory, PriorityFactory

pytestmark = pytest.mark.django_db

# The fixtures (a neighbourhood, an event) are made once per test and shared by its examples;
# each example's own rows are rolled back.
examples = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

NASTY = [
    "\x00",
    "a\x00b",
    "\x07\x1b[31m\x7f",
    "\u202eevil\u202c",
    "\u200f\u200e\u2066",
    "\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://example.com")',
    "+44 1632 960001",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r\n",
    "\r",
    "\u2028",
    "😀👩🏽‍🚒",
    "\U0010ffff",
    "'; DROP TABLE queries_query; --",
    " ",
    "DE1 1AA",
]


def any_text() -> st.SearchStrategy[str]:
    """Any text a browser could send: generated Unicode (Hypothesis leaves out lone
    surrogates, which cannot be encoded), known troublemakers, mixes of both, and long runs."""
    nasty = st.sampled_from(NASTY)
    return st.one_of(
        st.text(),
        nasty,
        st.text(min_size=1, max_size=20).map(lambda t: f"{t[:3]}\x00{t[3:]}"),
        st.lists(st.one_of(st.text(max_size=5), nasty), max_size=8).map("".join),
        st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(50, 3000)),
    )


def mostly(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid values three times in four, so the other fields' text reaches the database."""
    return st.one_of(valid, valid, valid, any_text())


def any_email() -> st.SearchStrategy[str]:
    return st.one_of(
        st.emails(),
        st.emails(),
        st.emails().map(lambda e: f"  {e.upper()} "),
        st.builds(operator.add, st.emails(), st.sampled_from(NASTY)),
        any_text(),
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_messages(messages: list[str]) -> None:
    assert messages
    for message in messages:
        assert isinstance(message, str)
        assert message.strip()


def assert_form_errors_named(form) -> None:
    """Every error names a field the form has (or the whole form), with a message."""
    assert form.errors
    for field, errors in form.errors.items():
        assert field == NON_FIELD_ERRORS or field in form.fields, field
        assert_messages(list(errors))


def assert_refusal(error: ValidationError, fields) -> None:
    """A service's refusal: messages keyed by fields it knows, or messages for the whole."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            assert field == NON_FIELD_ERRORS or field in fields, field
            assert_messages(messages)
    else:
        assert_messages(error.messages)


def fields_of(model, *arguments: str) -> set[str]:
    """What a service's refusal may name: its model's fields and its own arguments."""
    return {f.name for f in model._meta.get_fields()} | set(arguments)


def has_nul(*values) -> bool:
    return any("\x00" in str(v) for v in values)


# --- The contact form and query_submit ----------------------------------------------------------


@examples
@given(
    topic=st.one_of(st.sampled_from(Topic.values), any_text()),
    message=any_text(),
    name=any_text(),
    email=any_email(),
    phone=st.one_of(st.just("01632 960 001"), any_text()),
    preference=st.one_of(st.sampled_from(ContactPreference.values), any_text()),
)
def test_contact_form_stores_what_was_typed_or_names_the_problem(
    area, topic, message, name, email, phone, preference
):
    data = {
        "topic": topic,
        "message": message,
        "name": name,
        "email": email,
        "phone": phone,
        "contact_preference": preference,
        "consent": "on",
        # Whatever the words read as, the resident has said it is not an emergency.
        "not_an_emergency": "on",
    }
    with rolled_back():
        form = ContactForm(data)
        if not form.is_valid():
            assert_form_errors_named(form)
            return
        assert not has_nul(*form.cleaned_data.values())
        form_only = ("consent", "website", "not_an_emergency")
        fields = {k: v for k, v in form.cleaned_data.items() if k not in form_only}
        try:
            query, _token = query_submit(neighbourhood=area, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
            assert_form_errors_named(form)
            return
        stored = Query.objects.get(pk=query.pk)
        assert stored.message == line_breaks_normalised(message.strip())
        assert stored.name == name.strip()
        assert stored.email == email.strip()
        # One rule for every phone number: stored in national format ("01632 960 001").
        assert stored.phone == phone_number_format(phone)
        assert (stored.topic, stored.contact_preference) == (topic, preference)


@examples
@given(
    topic=mostly(st.sampled_from(Topic.values)),
    message=any_text(),
    name=any_text(),
    email=st.one_of(st.just(""), any_email()),
    phone=any_text(),
    preference=mostly(st.sampled_from(ContactPreference.values)),
)
@example(
    topic=Topic.OTHER,
    message="Help\x00",
    name="Sam",
    email="",
    phone="01632 960001",
    preference=ContactPreference.PHONE,
)
def test_query_submit_stores_or_refuses_any_text(
    area, topic, message, name, email, phone, preference
):
    with rolled_back():
        try:
            query, _token = query_submit(
                neighbourhood=area,
                topic=topic,
                message=message,
                name=name,
                email=email,
                phone=phone,
                contact_preference=preference,
            )
        except ValidationError as exc:
            assert_refusal(exc, fields_of(Query))
            return
        assert not has_nul(topic, message, name, email, phone, preference)
        stored = Query.objects.get(pk=query.pk)
        assert (stored.message, stored.name, stored.email, stored.phone) == (
            message,
            name,
            email,
            phone,
        )


# --- A new tracking link ------------------------------------------------------------------------


@pytest.fixture
def sent_query(area):
    query, _token = query_submit(
        neighbourhood=area,
        topic=Topic.ANTI_SOCIAL_BEHAVIOUR,
        message="Bikes on the pavement",
        name="Sam",
        email="sam@example.com",
        phone="",
        contact_preference=ContactPreference.EMAIL,
    )
    return query


# How the reference is typed: as given, lower case, spaced, with a NUL after it; or any text.
REFERENCE_TYPED = {
    "exact": lambda reference: reference,
    "lower": str.lower,
    "spaced": lambda reference: f"  {reference} ",
    "nul": lambda reference: f"{reference}\x00",
}


@examples
@given(
    typed=st.one_of(st.sampled_from(list(REFERENCE_TYPED)), any_text()),
    email=st.one_of(st.sampled_from(["sam@example.com", " SAM@example.com"]), any_email()),
)
@example(typed="nul", email="sam@example.com")
def test_new_link_form_and_service_answer_any_text(sent_query, typed, email):
    reference = REFERENCE_TYPED[typed](sent_query.reference) if typed in REFERENCE_TYPED else typed
    with rolled_back():
        form = NewLinkForm({"reference": reference, "email": email})
        if form.is_valid():
            query_tracking_link_renew(
                reference=form.cleaned_data["reference"], email=form.cleaned_data["email"]
            )
        else:
            assert_form_errors_named(form)
        matched = query_tracking_link_renew(reference=reference, email=email)
        expected = (
            reference.strip().upper() == sent_query.reference
            and email.strip().lower() == "sam@example.com"
        )
        assert matched is expected


@examples
@given(message=any_text())
@example(message="Thanks\x00")
def test_follow_up_stores_what_was_typed_or_refuses_it(sent_query, message):
    with rolled_back():
        form = FollowUpForm({"message": message})
        if not form.is_valid():
            assert_form_errors_named(form)
        try:
            query_resident_reply(query=sent_query, message=message)
        except ValidationError as exc:
            assert_refusal(exc, {"message"})
            return
        assert not has_nul(message)
        stored = QueryEvent.objects.filter(
            query=sent_query, kind=QueryEvent.Kind.RESIDENT_MESSAGE
        ).get()
        assert stored.body == message


# --- Registering for an event -------------------------------------------------------------------


@pytest.fixture
def event(area):
    return EventFactory(neighbourhood=area)


@examples
@given(name=any_text(), email=any_email(), needs=any_text())
def test_registration_form_stores_what_was_typed_or_names_the_problem(event, name, email, needs):
    with rolled_back():
        form = RegistrationForm({"name": name, "email": email, "accessibility_needs": needs})
        if not form.is_valid():
            assert_form_errors_named(form)
            return
        data = form.cleaned_data
        try:
            registration, _token = registration_create(
                event=event,
                name=data["name"],
                email=data["email"],
                accessibility_needs=data["accessibility_needs"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            assert_form_errors_named(form)
            return
        stored = Registration.objects.get(pk=registration.pk)
        assert stored.name == name.strip()
        assert stored.email == email.strip().lower()
        assert stored.accessibility_needs == plain_text(needs)


@examples
@given(name=any_text(), email=any_email(), needs=any_text())
@example(name="Sam\x00", email="sam@example.com", needs="")
def test_registration_create_stores_or_refuses_any_text(event, name, email, needs):
    with rolled_back():
        try:
            registration, _token = registration_create(
                event=event, name=name, email=email, accessibility_needs=needs
            )
        except ValidationError as exc:
            assert_refusal(exc, fields_of(Registration))
            return
        assert not has_nul(name, email, needs)
        stored = Registration.objects.get(pk=registration.pk)
        assert stored.name == name.strip()
        assert stored.email == email.strip().lower()
        assert stored.accessibility_needs == plain_text(needs)


# --- Have your say: answers and support ---------------------------------------------------------


@pytest.fixture
def survey(area):
    today = timezone.localdate()
    survey = Survey.objects.create(
        neighbourhood=area,
        question="What should we tackle first?",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=13),
        allow_free_text=True,
    )
    for position, label in enumerate(["Speeding", "Burglary"]):
        survey.options.create(label=label, position=position)
    return survey


@examples
@given(data=st.data())
def test_answer_form_and_service_store_or_refuse_any_text(survey, data):
    option_ids = list(survey.options.values_list("pk", flat=True))
    option = data.draw(st.one_of(st.sampled_from([str(pk) for pk in option_ids]), any_text()))
    free_text = data.draw(any_text())
    email = data.draw(any_email())
    with rolled_back():
        form = AnswerForm({"option": option, "free_text": free_text, "email": email}, survey=survey)
        if not form.is_valid():
            assert_form_errors_named(form)
            return
        try:
            response, _token = survey_answer_submit(
                survey=survey,
                option_id=form.cleaned_data["option"],
                free_text=form.cleaned_data["free_text"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            assert_form_errors_named(form)
            return
        stored = SurveyResponse.objects.get(pk=response.pk)
        assert stored.free_text == contact_details_removed(plain_text(free_text))
        assert stored.email_hash == email_hash(email)


@examples
@given(
    option=st.one_of(st.sampled_from(["first", "second"]), st.none(), st.integers()),
    free_text=any_text(),
    email=any_email(),
)
@example(option="first", free_text="Speed\x00ing", email="sam@example.com")
def test_survey_answer_submit_stores_or_refuses_any_text(survey, option, free_text, email):
    """`option` is one of the survey's options (first or second), none, or any number."""
    options = dict(
        zip(["first", "second"], survey.options.values_list("pk", flat=True), strict=True)
    )
    option_id = options.get(option, option)
    with rolled_back():
        try:
            response, _token = survey_answer_submit(
                survey=survey, option_id=option_id, free_text=free_text, email=email
            )
        except ValidationError as exc:
            assert_refusal(exc, fields_of(SurveyResponse, "option", "email"))
            return
        assert not has_nul(free_text, email)
        stored = SurveyResponse.objects.get(pk=response.pk)
        assert stored.free_text == contact_details_removed(plain_text(free_text))


@pytest.fixture
def priority(area):
    return PriorityFactory(neighbourhood=area)


@examples
@given(email=any_email())
def test_priority_support_stores_or_refuses_any_address(priority, email):
    with rolled_back():
        form = SupportForm({"email": email})
        if not form.is_valid():
            assert_form_errors_named(form)
        try:
            support, _token = priority_support_submit(priority=priority, email=email)
        except ValidationError as exc:
            assert_refusal(exc, fields_of(PrioritySupport, "email"))
            return
        assert not has_nul(email)
        stored = PrioritySupport.objects.get(pk=support.pk)
        assert stored.email_hash == email_hash(email)


# --- Alerts -------------------------------------------------------------------------------------


@examples
@given(data=st.data())
def test_alert_sign_up_stores_or_refuses_any_text(area, data):
    choices = neighbourhood_choices()
    email = data.draw(any_email())
    slugs = data.draw(st.lists(st.one_of(st.just(area.slug), any_text()), max_size=3))
    topics = data.draw(
        st.lists(st.one_of(st.sampled_from(["events", "priorities", "surveys"]), any_text()))
    )
    frequency = data.draw(st.one_of(st.sampled_from(Subscriber.Frequency.values), any_text()))
    with rolled_back():
        form = SubscribeForm(
            {"email": email, "neighbourhoods": slugs, "topics": topics, "frequency": frequency},
            neighbourhoods=choices,
        )
        if not form.is_valid():
            assert_form_errors_named(form)
        else:
            try:
                subscriber_subscribe(email=form.cleaned_data["email"], choices=form.choices())
            except ValidationError as exc:
                add_service_errors(form, exc)
                assert_form_errors_named(form)
        ids = data.draw(st.lists(st.one_of(st.just(area.pk), st.integers()), max_size=3))
        try:
            subscriber_subscribe(
                email=email,
                choices=Choices(neighbourhood_ids=tuple(ids), frequency=frequency),
            )
        except ValidationError as exc:
            assert_refusal(exc, fields_of(Subscriber, "neighbourhoods", "topics"))
            return
        assert not has_nul(email, frequency)
        stored = Subscriber.objects.get(email=email.strip().lower())
        assert stored.pending_choices["neighbourhoods"] == [area.pk]


# --- Finding a neighbourhood --------------------------------------------------------------------


@examples
@given(q=st.one_of(st.sampled_from(["DE1 1AA", "de11aa", "DE1", "Normanton"]), any_text()))
@example(q="Norman\x00ton")
def test_postcode_search_answers_any_text(area, q):
    with rolled_back():
        PostcodeFactory(postcode="DE1 1AA", neighbourhood=area)
        form = NeighbourhoodSearchForm({"q": q})
        if form.is_valid():
            result = search_text(form.cleaned_data["q"])
            if result.problem:
                form.show_problem(result)
                assert_form_errors_named(form)
        else:
            assert_form_errors_named(form)
        result = search_text(q)
        assert isinstance(result, SearchResult)
        assert result.problem or result.neighbourhood or result.matches


@settings(examples, max_examples=50)
@given(q=any_text())
def test_search_page_answers_any_text(client, area, q):
    response = client.get(reverse("neighbourhoods:home"), {"q": q})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "Postcode, town or neighbourhood" in response.content.decode()
