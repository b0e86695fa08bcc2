"""A resident sends a query through the test client: the form, its errors, abuse protection,
the confirmation page and email, and a query kept even when the broker is down."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML, assertRedirects

from config import celery_app
from config.phones import PHONE_INVALID
from notifications.models import OutboxEmail
from notifications.sending import outbox_email_send
from queries.models import Query, QueryEvent
from queries.views.resident import CONFIRMATION_SESSION_KEY
from tests.factories import AssignmentFactory, NeighbourhoodFactory, PostcodeFactory
from tests.html import (
    comes_before,
    element,
    elements,
    hrefs,
    link_texts,
    links,
    page_text,
    roots,
    texts,
    title,
)
from tests.ports import unused_port

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"^[A-Z]{2}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{3}$")
URL = re.compile(r"https?://[^\s\"'<>]+")
# 14:45 in London (British Summer Time).
SUMMER_AFTERNOON = datetime.datetime(2025, 6, 10, 13, 45, tzinfo=datetime.UTC)


@pytest.fixture
def neighbourhood():
    return AssignmentFactory(neighbourhood__name="Derby City Centre").neighbourhood


def contact_url(neighbourhood) -> str:
    return reverse("queries:contact", kwargs={"slug": neighbourhood.slug})


def form_data(**changes) -> dict:
    data = {
        "topic": "asb",
        "message": "Young people gather by the shops at night and shout.",
        "name": "Sam Resident",
        "email": "sam@example.com",
        "phone": "",
        "contact_preference": "email",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def confirmation_email(address: str = "sam@example.com") -> OutboxEmail:
    """The resident's confirmation (the named officer is emailed of the query too)."""
    return OutboxEmail.objects.get(to=[address])


def send(client, neighbourhood, ip: str = "192.0.2.1", **changes):
    return client.post(contact_url(neighbourhood), form_data(**changes), REMOTE_ADDR=ip)


# --- Finding the form ------------------------------------------------------------------------


def test_neighbourhood_page_button_opens_the_contact_form(client, neighbourhood):
    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert contact_url(neighbourhood) in hrefs(page)
    assert "#contact" not in hrefs(page)


def test_contact_start_gives_the_emergency_message_before_the_search(client):
    page = client.get(reverse("queries:contact_start")).content.decode()

    warning = element(page, "div", class_="govuk-warning-text")
    assert "call 999. To report a crime call 101 or report it online." in warning.text
    assert link_texts(warning) == ["report it online"]
    assert comes_before(page, warning, element(page, "input", name="q"))


def test_postcode_on_contact_start_goes_to_that_neighbourhood_form(client, neighbourhood):
    PostcodeFactory(postcode="DE1 1AA", neighbourhood=neighbourhood)

    response = client.get(reverse("queries:contact_start"), {"q": "de11aa"}, follow=True)

    assertRedirects(response, contact_url(neighbourhood))
    assertContains(
        response, '<h1 class="govuk-heading-l">Contact your neighbourhood team</h1>', html=True
    )
    assertContains(response, neighbourhood.name)


def test_place_name_on_contact_start_lists_contact_forms(client):
    first = NeighbourhoodFactory(name="Ashbourne North")
    second = NeighbourhoodFactory(name="Ashbourne South")

    page = client.get(reverse("queries:contact_start"), {"q": "ashbourne"}).content.decode()

    assert contact_url(first) in hrefs(page)
    assert contact_url(second) in hrefs(page)


def test_unknown_place_on_contact_start_says_what_to_do(client):
    page = client.get(reverse("queries:contact_start"), {"q": "Atlantis"}).content.decode()

    assert "No neighbourhood matches" in page
    assert "govuk-error-summary" in page


def test_postcode_the_force_does_not_hold_on_contact_start_points_to_police_uk(client):
    page = client.get(reverse("queries:contact_start"), {"q": "SW1A 1AA"}).content.decode()

    assert "We could not find SW1A 1AA in the area" in page
    assertInHTML(
        '<a class="govuk-link" href="https://www.police.uk/pu/your-area/">find your '
        "neighbourhood team on police.uk</a>",
        page,
    )


def test_contact_start_matches_use_a_fixed_number_of_sql_queries(
    client, django_assert_max_num_queries
):
    for number in range(20):
        NeighbourhoodFactory(name=f"Ilkeston {number}")

    with django_assert_max_num_queries(3):
        response = client.get(reverse("queries:contact_start"), {"q": "ilkeston"})

    assert response.content.decode().count("Contact the Ilkeston") == 20


def test_unknown_neighbourhood_contact_form_is_not_found(client):
    assert client.get("/neighbourhoods/nowhere/contact/").status_code == 404


# --- The form ---------------------------------------------------------------------------------


def test_form_starts_with_the_emergency_message(client, neighbourhood):
    page = client.get(contact_url(neighbourhood)).content.decode()

    warning = element(page, "div", class_="govuk-warning-text")
    assert "call 999" in warning.text
    assert comes_before(page, warning, element(page, "form", action=contact_url(neighbourhood)))


def test_emergency_message_links_to_report_online(client, neighbourhood, settings):
    settings.REPORT_ONLINE_URL = "https://report.example/crime/"

    page = client.get(contact_url(neighbourhood)).content.decode()

    warning = element(page, "div", class_="govuk-warning-text")
    assert "call 101 or report it online." in warning.text
    assert links(warning) == [("report it online", "https://report.example/crime/")]
    assert "govuk-link" in element(warning, "a").classes


def test_form_asks_for_each_topic_as_radios(client, neighbourhood):
    page = client.get(contact_url(neighbourhood)).content.decode()

    for label in [
        "Anti-social behaviour",
        "Drugs",
        "Road safety",
        "Neighbour dispute",
        "Crime prevention advice",
        "Something else",
    ]:
        assert label in page
    legends = texts(page, "legend", class_="govuk-fieldset__legend govuk-fieldset__legend--s")
    assert any(legend.startswith("What is your") for legend in legends)
    assert len(elements(page, "input", type="radio", value=True)) == 8


def test_message_has_a_govuk_character_count_with_the_limit(client, neighbourhood, settings):
    page = client.get(contact_url(neighbourhood)).content.decode()

    count = element(page, "div", data_module="govuk-character-count")
    assert count.attrs["data-maxlength"] == str(settings.QUERY_MESSAGE_MAX_LENGTH)
    assert "You can enter up to 2,000 characters" in page
    assert element(count, "textarea", class_="govuk-textarea govuk-js-character-count")
    assert not elements(page, "*", placeholder=True)


def test_honeypot_is_hidden_by_a_class_and_out_of_the_tab_order(client, neighbourhood):
    page = client.get(contact_url(neighbourhood)).content.decode()

    hidden = element(page, "label", for_="id_website").parent
    assert hidden.tag == "div"
    assert "govuk-visually-hidden" in hidden.classes
    assert "Leave this field empty" in page
    field = element(page, "input", name="website")
    assert field.attrs["autocomplete"] == "off"
    assert field.attrs["tabindex"] == "-1"
    assert not elements(page, "*", style=True)


def test_consent_links_to_the_privacy_notice(client, neighbourhood):
    page = client.get(contact_url(neighbourhood)).content.decode()

    assert "/privacy/" in hrefs(page)
    assert element(page, "input", name="consent")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"topic": None}, "Select what your query is about"),
        ({"topic": "burglary"}, "Select a valid choice"),
        ({"message": "   "}, "Enter your message"),
        ({"message": "x" * 2001}, "Your message must be 2,000 characters or fewer"),
        ({"name": ""}, "Enter your name"),
        ({"name": "n" * 101}, "Your name must be 100 characters or fewer"),
        ({"email": "sam.example.com"}, "Enter an email address in the correct format"),
        ({"email": ""}, "Enter an email address so we can reply by email"),
        (
            {"contact_preference": "phone", "phone": ""},
            "Enter a telephone number so we can call you back",
        ),
        ({"phone": "call me"}, PHONE_INVALID),
        ({"contact_preference": None}, "Select how you would like us to contact you"),
        ({"consent": None}, "Agree to the privacy notice to send your query"),
    ],
)
def test_each_mistake_is_shown_in_the_error_summary_and_nothing_is_stored(
    client, neighbourhood, changes, message
):
    response = send(client, neighbourhood, **changes)

    page = response.content.decode()
    assert response.status_code == 200
    summary = element(page, "div", class_="govuk-error-summary")
    assert any(str(message) in text for text in link_texts(summary))
    assert title(page).startswith("Error: ")
    assert Query.objects.count() == 0


def test_error_summary_links_to_the_first_radio_of_a_missing_choice(client, neighbourhood):
    page = send(client, neighbourhood, topic=None).content.decode()

    assertInHTML('<a href="#id_topic_0">Select what your query is about</a>', page)
    assert element(page, "input", id="id_topic_0")


def test_line_breaks_count_as_one_character(client, neighbourhood):
    message = ("a" * 99 + "\r\n") * 20  # 2,000 characters as the count shows them

    response = send(client, neighbourhood, message=message)

    assert response.status_code == 302
    assert Query.objects.get().message == message.replace("\r\n", "\n").strip()


def test_resident_can_choose_phone_without_an_email(client, neighbourhood):
    response = send(
        client, neighbourhood, email="", phone="01632 960001", contact_preference="phone"
    )

    assert response.status_code == 302
    query = Query.objects.get()
    assert query.phone == "01632 960001"
    # Only the named officer is told of it: the resident gave no address.
    assert [email.to for email in OutboxEmail.objects.all()] == [[query.assigned_officer.email]]


# --- Abuse protection -------------------------------------------------------------------------


def test_filled_honeypot_shows_the_confirmation_and_stores_nothing(client, neighbourhood):
    response = send(client, neighbourhood, website="http://cheap-pills.example")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Query sent" in page
    panel = element(page, "div", class_="govuk-panel__body")
    assert REFERENCE.search(element(panel, "strong").text)
    assert Query.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_rate_limit_per_ip_says_when_to_try_again(client, neighbourhood, settings):
    settings.QUERY_RATE_LIMIT_PER_IP = 2
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 3600
    for number in range(2):
        assert send(client, neighbourhood, email=f"r{number}@example.com").status_code == 302

    response = send(client, neighbourhood, email="another@example.com")

    page = response.content.decode()
    assert response.status_code == 429
    assert "You can send another query after 3:45pm" in page
    assert "call 101" in page
    assert "govuk-error-summary" in page
    assert Query.objects.count() == 2


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_rate_limit_per_email_applies_from_any_address(client, neighbourhood, settings):
    settings.QUERY_RATE_LIMIT_PER_EMAIL = 1
    settings.QUERY_RATE_LIMIT_WINDOW_SECONDS = 1800
    assert send(client, neighbourhood, ip="192.0.2.1").status_code == 302

    response = send(client, neighbourhood, ip="198.51.100.7", email="SAM@example.com")

    assert response.status_code == 429
    assert "You can send another query after 3:15pm" in response.content.decode()
    assert Query.objects.count() == 1


def test_rate_limit_counts_each_ip_address_on_its_own(client, neighbourhood, settings):
    settings.QUERY_RATE_LIMIT_PER_IP = 1
    assert send(client, neighbourhood, ip="192.0.2.1", email="a@example.com").status_code == 302

    response = send(client, neighbourhood, ip="192.0.2.2", email="b@example.com")

    assert response.status_code == 302
    assert Query.objects.count() == 2


def test_rate_limit_counts_residents_behind_the_same_proxy_apart(client, neighbourhood, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.QUERY_RATE_LIMIT_PER_IP = 1
    proxy = "10.0.0.5"
    first = client.post(
        contact_url(neighbourhood),
        form_data(email="a@example.com"),
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )

    second = client.post(
        contact_url(neighbourhood),
        form_data(email="b@example.com"),
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )

    assert first.status_code == 302
    assert second.status_code == 302
    assert Query.objects.count() == 2


def test_rate_limit_behind_a_proxy_is_not_escaped_by_a_forged_address(
    client, neighbourhood, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.QUERY_RATE_LIMIT_PER_IP = 1
    proxy = "10.0.0.5"
    client.post(
        contact_url(neighbourhood),
        form_data(email="a@example.com"),
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )

    response = client.post(
        contact_url(neighbourhood),
        form_data(email="b@example.com"),
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.10",
    )

    assert response.status_code == 429
    assert Query.objects.count() == 1


def test_rate_limit_keeps_no_email_address_in_the_cache(client, neighbourhood, settings):
    settings.QUERY_RATE_LIMIT_PER_EMAIL = 1
    send(client, neighbourhood, email="private.person@example.com")

    # The address is counted (a second query from it, elsewhere, is refused) ...
    again = send(client, neighbourhood, ip="198.51.100.7", email="Private.Person@example.com")
    assert again.status_code == 429
    # ... yet nothing Redis holds, key or value, has it.
    redis = cache._cache.get_client()
    held = [(key, redis.dump(key)) for key in redis.scan_iter()]
    assert held
    assert not [key for key, value in held if b"private.person" in key.lower() + value.lower()]


# --- The confirmation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent_at", "promise"),
    [
        (SUMMER_AFTERNOON, "We will reply by Friday 13 June at 2:45pm"),
        (
            datetime.datetime(2025, 1, 10, 12, 0, tzinfo=datetime.UTC),
            "We will reply by Monday 13 January at midday",
        ),
    ],
)
def test_confirmation_shows_the_reference_and_the_due_time_in_london(
    client, neighbourhood, sent_at, promise
):
    with time_machine.travel(sent_at, tick=False):
        response = send(client, neighbourhood)
        assert response["Location"] == reverse("queries:confirmation")
        page = client.get(response["Location"]).content.decode()

    query = Query.objects.get()
    assert REFERENCE.match(query.reference)
    assertInHTML(f"<strong>{query.reference}</strong>", page)
    assert promise in page
    assert query.due_at == sent_at + datetime.timedelta(hours=72)


def test_confirmation_shows_the_tracking_link_that_opens_the_query(client, neighbourhood):
    send(client, neighbourhood)

    page = client.get(reverse("queries:confirmation")).content.decode()

    [link] = [href for href in hrefs(page) if href.startswith("http://testserver/queries/track/")]
    tracking = client.get(link.removeprefix("http://testserver"))
    assert tracking.status_code == 200
    assert Query.objects.get().reference in tracking.content.decode()


def test_confirmation_shows_the_link_once_with_the_warning_to_keep_it(client, neighbourhood):
    send(client, neighbourhood)

    page = client.get(reverse("queries:confirmation")).content.decode()

    assert "Keep this link: it is the only way to see replies without the email" in page
    assert "/queries/track/" in page


def test_confirmation_seen_again_shows_the_reference_and_says_the_link_was_emailed(
    client, neighbourhood
):
    send(client, neighbourhood)
    client.get(reverse("queries:confirmation"))

    response = client.get(reverse("queries:confirmation"))

    page = response.content.decode()
    assert response.status_code == 200
    assertInHTML(f"<strong>{Query.objects.get().reference}</strong>", page)
    assert "/queries/track/" not in page
    assert "We have emailed you the private link" in page


def test_confirmation_seen_again_without_an_email_says_to_call_with_the_reference(
    client, neighbourhood
):
    send(client, neighbourhood, email="", phone="01632 960001", contact_preference="phone")
    client.get(reverse("queries:confirmation"))

    page = client.get(reverse("queries:confirmation")).content.decode()

    assert "/queries/track/" not in page
    assert "If you did not keep it, call 101 and give your reference" in page


def test_session_keeps_no_token_once_the_confirmation_is_shown(client, neighbourhood):
    send(client, neighbourhood)
    assert "token" in client.session[CONFIRMATION_SESSION_KEY]

    client.get(reverse("queries:confirmation"))

    sent = client.session[CONFIRMATION_SESSION_KEY]
    assert "token" not in sent
    assert sent["reference"] == Query.objects.get().reference


def test_confirmation_page_cannot_be_reached_without_sending(client, neighbourhood):
    send(client, neighbourhood)
    stranger = client.__class__()

    response = stranger.get(reverse("queries:confirmation"))

    assert response.status_code == 302
    assert response["Location"] == reverse("queries:contact_start")


def test_confirmation_page_and_email_link_to_report_online(client, neighbourhood, settings):
    settings.REPORT_ONLINE_URL = "https://report.example/crime/"
    send(client, neighbourhood)

    page = client.get(reverse("queries:confirmation")).content.decode()

    assert "call 101 or report it online." in page_text(page)
    assertInHTML(
        '<a class="govuk-link" href="https://report.example/crime/">report it online</a>', page
    )
    email = confirmation_email()
    assert "or report it online." in page_text(email.body_html)
    assertInHTML('<a href="https://report.example/crime/">report it online</a>', email.body_html)
    assert "or report it online at https://report.example/crime/." in email.body_text


def test_confirmation_page_is_private(client, neighbourhood):
    send(client, neighbourhood)

    response = client.get(reverse("queries:confirmation"))

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert [m.attrs["content"] for m in elements(response.content, "meta", name="robots")] == [
        "noindex"
    ]


# --- What is stored and emailed ---------------------------------------------------------------


def test_query_is_stored_with_its_clock_history_and_a_hashed_token(client, neighbourhood):
    send(client, neighbourhood)

    query = Query.objects.get()
    email = confirmation_email()
    token = re.search(r"/queries/track/([^/]+)/", email.body_text).group(1)
    assert len(token) >= 43
    assert query.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert query.clock == 1
    assert query.status == Query.Status.OPEN
    assert query.consented_at == query.submitted_at
    assert list(query.events.values_list("kind", flat=True)) == [
        QueryEvent.Kind.SUBMITTED,
        QueryEvent.Kind.ROUTED,
    ]
    assert query.events.get(kind=QueryEvent.Kind.SUBMITTED).body == query.message


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_confirmation_email_waits_in_the_outbox_with_the_link_and_due_time(
    client, neighbourhood, settings
):
    send(client, neighbourhood)

    query = Query.objects.get()
    email = confirmation_email()
    assert email.to == ["sam@example.com"]
    assert email.query_link.query == query
    assert email.status == OutboxEmail.Status.PENDING
    assert query.reference in email.subject
    assert f"{settings.SITE_URL}/queries/track/" in email.body_text
    assert f"{settings.SITE_URL}/queries/track/" in email.body_html
    assert "Friday 13 June at 2:45pm" in email.body_text
    assert "call 999" in email.body_text


def test_confirmation_email_row_forgets_the_link_once_sent(client, neighbourhood, smtp_server):
    send(client, neighbourhood)
    email = confirmation_email()
    assert email.redact_after_send

    assert outbox_email_send(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert "/queries/track/" in smtp_server.bodies()[0]
    assert "/queries/track/" not in email.body_text
    assert "/queries/track/" not in email.body_html
    assert email.subject and Query.objects.get().reference in email.subject


def test_no_email_address_appears_in_any_link(client, neighbourhood):
    send(client, neighbourhood, email="sam.resident@example.com")

    email = confirmation_email("sam.resident@example.com")
    links = URL.findall(email.body_text) + URL.findall(email.body_html)
    page = client.get(reverse("queries:confirmation")).content.decode()
    links += URL.findall(page)
    assert links
    assert not [link for link in links if "@" in link or "sam.resident" in link]


def test_message_is_stored_as_typed_and_shown_as_plain_text(client, neighbourhood):
    send(client, neighbourhood, message='<script>alert("hi")</script>\n<b>bold</b>')

    query = Query.objects.get()
    token = re.search(r"/queries/track/([^/]+)/", confirmation_email().body_text).group(1)
    page = client.get(reverse("queries:track", kwargs={"token": token})).content.decode()
    assert query.message == '<script>alert("hi")</script>\n<b>bold</b>'
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page


@pytest.mark.django_db(transaction=True)
def test_query_is_committed_while_the_broker_is_down(client, neighbourhood, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{unused_port()}/0"
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL

    response = send(client, neighbourhood)

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    query = Query.objects.get()
    assert query.reference in page
    assert {email.status for email in OutboxEmail.objects.all()} == {OutboxEmail.Status.PENDING}
    assert OutboxEmail.objects.count() == 2  # the resident's confirmation, the officer's notice


# --- Checking a field as the resident leaves it (htmx) ----------------------------------------


def test_htmx_checks_one_field_and_returns_only_it(client, neighbourhood):
    response = client.post(
        contact_url(neighbourhood),
        form_data(email="not-an-address", field="email"),
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert [(root.tag, root.attrs.get("id")) for root in roots(page)] == [("div", "field-email")]
    assert "Enter an email address in the correct format" in page
    assert not elements(page, "html")
    assert "Enter your name" not in page
    assert Query.objects.count() == 0


def test_htmx_check_of_a_field_it_does_not_check_is_refused(client, neighbourhood):
    response = client.post(
        contact_url(neighbourhood), form_data(field="consent"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert Query.objects.count() == 0
