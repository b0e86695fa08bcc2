"""Alerts' pages through the test client: sign up, confirm, manage and unsubscribe, and what
each says to bad input."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from alerts import subscriptions
from alerts.models import Subscriber
from neighbourhoods.models import Division
from notifications.models import OutboxEmail
from tests.factories import DivisionFactory, ForceFactory, NeighbourhoodFactory
from tests.html import element, elements, hrefs, links

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/"


@pytest.fixture
def other_area(area):
    return NeighbourhoodFactory(name="Alvaston", slug="alvaston", division=area.division)


def sign_up(client, *slugs, email="sam@example.com", **changes):
    data = {
        "email": email,
        "neighbourhoods": list(slugs),
        "topics": ["events", "priorities", "surveys"],
        "frequency": "immediate",
        "website": "",
        **changes,
    }
    return client.post(SUBSCRIBE, data)


def confirm_token() -> str:
    email = OutboxEmail.objects.latest("pk")
    return re.search(r"/alerts/confirm/([A-Za-z0-9_-]+)/", email.body_text).group(1)


def confirmed(email: str, *areas) -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now())
    subscriber.neighbourhoods.set(areas)
    return subscriber


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Signing up ---------------------------------------------------------------------------------


def test_the_page_lists_neighbourhoods_by_division(client, area, other_area):
    elsewhere = NeighbourhoodFactory(name="Matlock", slug="matlock")

    response = client.get(SUBSCRIBE)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"{area.division.name} (2 neighbourhoods)" in html
    assert f"{elsewhere.division.name} (1 neighbourhood)" in html
    assert element(html, "input", value="normanton", checked=False)


def test_a_neighbourhood_in_the_address_is_ticked_and_others_can_be_added(client, area, other_area):
    response = client.get(SUBSCRIBE, {"neighbourhood": "normanton"})

    html = response.content.decode()
    assert "Get email alerts for Normanton" in html
    assert element(html, "input", value="normanton", checked=True)
    assert "Add more neighbourhoods" in html
    assert element(html, "input", value="alvaston", checked=False)


def test_an_unknown_neighbourhood_in_the_address_is_ignored(client, area):
    response = client.get(SUBSCRIBE, {"neighbourhood": "<script>"})
    assert response.status_code == 200
    assert "Add more neighbourhoods" not in response.content.decode()


def test_signing_up_asks_to_check_email_and_sends_a_link(client, area):
    response = sign_up(client, "normanton")

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Check your email" in text_of(page)
    assert "sam@example.com" in text_of(page)
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert OutboxEmail.objects.get().to == ["sam@example.com"]


def test_a_known_address_gets_the_same_answer_and_a_new_link(client, area):
    confirmed("sam@example.com", area)

    response = sign_up(client, "normanton")

    assert response.status_code == 302
    assert response["Location"] == "/alerts/check-your-email/"
    assert OutboxEmail.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"neighbourhoods": []}, "Select at least one neighbourhood"),
        ({"topics": []}, "Select at least one thing to hear about"),
        ({"frequency": ""}, "Select how often you want to hear from us"),
        ({"email": "sam at example"}, "Enter an email address in the correct format"),
        ({"email": ""}, "Enter your email address"),
    ],
)
def test_a_sign_up_with_something_missing_says_what(client, area, changes, message):
    data = {"neighbourhoods": ["normanton"], **changes}
    response = sign_up(client, **data)

    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    assert message in text_of(response)
    assert not Subscriber.objects.exists()


def test_the_error_summary_links_to_the_first_checkbox(client, area):
    response = sign_up(client, neighbourhoods=[])
    html = response.content.decode()
    assert "#id_neighbourhoods_0" in hrefs(element(html, "div", class_="govuk-error-summary"))
    assert element(html, "input", id="id_neighbourhoods_0")


def test_garbage_is_answered_with_errors_not_a_crash(client, area):
    response = client.post(
        SUBSCRIBE,
        {
            "email": "x" * 300 + "@example.com",
            "neighbourhoods": ["no-such-place", "\x00"],
            "topics": ["everything"],
            "frequency": "hourly",
        },
    )
    assert response.status_code == 200
    assert "Select neighbourhoods from the list" in text_of(response)
    assert not Subscriber.objects.exists()


def test_a_filled_honeypot_stores_and_sends_nothing(client, area):
    response = sign_up(client, "normanton", website="http://spam.example")

    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_too_many_sign_ups_are_refused_for_a_while(client, area, settings):
    settings.HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert sign_up(client, "normanton").status_code == 302

    response = sign_up(client, "normanton")

    assert response.status_code == 429
    assert "You can sign up again after" in text_of(response)
    assert OutboxEmail.objects.count() == 2


def test_the_check_email_page_needs_a_sign_up_first(client):
    response = client.get("/alerts/check-your-email/")
    assert response.status_code == 302
    assert response["Location"] == SUBSCRIBE


def test_the_sign_up_page_costs_the_same_with_200_neighbourhoods(
    client, django_assert_max_num_queries
):
    force = ForceFactory()
    divisions = [DivisionFactory(force=force) for _ in range(8)]
    for n in range(200):
        NeighbourhoodFactory(force=force, division=divisions[n % 8])
    assert Division.objects.count() == 8

    with django_assert_max_num_queries(3):
        response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    assert len(elements(response, "input", type="checkbox")) >= 200


# --- Confirming ---------------------------------------------------------------------------------


def test_following_the_link_shows_a_button_and_confirms_nothing(client, area):
    sign_up(client, "normanton")
    token = confirm_token()

    response = client.get(f"/alerts/confirm/{token}/")

    assert response.status_code == 200
    assert "Confirm my alerts" in text_of(response)
    assert "Normanton" in text_of(response)
    assert Subscriber.objects.get().confirmed_at is None
    assert response["Cache-Control"].startswith("max-age=0")


def test_pressing_the_button_confirms(client, area):
    sign_up(client, "normanton")
    token = confirm_token()

    response = client.post(f"/alerts/confirm/{token}/")

    assert response.status_code == 200
    assert "Your alerts are confirmed" in text_of(response)
    assert Subscriber.objects.active().count() == 1


def test_an_unknown_confirmation_link_says_it_does_not_work(client, area):
    for token in ["x" * 43, "short", "not!a@token"]:
        response = client.get(f"/alerts/confirm/{token}/")
        assert response.status_code == 404
        assert "This link does not work" in text_of(response)


def test_a_used_confirmation_link_says_it_does_not_work(client, area):
    sign_up(client, "normanton")
    token = confirm_token()
    client.post(f"/alerts/confirm/{token}/")

    response = client.post(f"/alerts/confirm/{token}/")

    assert response.status_code == 404
    assert "This link does not work" in text_of(response)


def test_a_link_whose_neighbourhood_has_gone_asks_to_choose_again(client, area):
    sign_up(client, "normanton")
    token = confirm_token()
    area.delete()

    response = client.post(f"/alerts/confirm/{token}/", follow=True)

    assert response.redirect_chain == [("/alerts/", 302)]
    assert "a neighbourhood you chose is no longer listed" in text_of(response)
    assert "This link has expired" not in text_of(response)
    assert Subscriber.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_says_so(client, area, settings):
    sign_up(client, "normanton")
    token = confirm_token()
    Subscriber.objects.update(
        confirm_sent_at=timezone.now() - datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS)
    )

    for response in (
        client.get(f"/alerts/confirm/{token}/"),
        client.post(f"/alerts/confirm/{token}/"),
    ):
        assert response.status_code == 410
        assert "This link has expired" in text_of(response)
    assert Subscriber.objects.get().confirmed_at is None


# --- Managing -----------------------------------------------------------------------------------


def manage_path(subscriber: Subscriber) -> str:
    return f"/alerts/manage/{subscriptions.manage_signature(subscriber.pk)}/"


def test_the_manage_page_shows_the_current_choices(client, area, other_area):
    sam = confirmed("sam@example.com", area)

    response = client.get(manage_path(sam))

    html = response.content.decode()
    assert response.status_code == 200
    assert "sam@example.com" in html
    assert element(html, "input", value="normanton", checked=True)
    assert element(html, "input", value="alvaston", checked=False)
    assert "Unsubscribe from everything" in html


def test_the_manage_page_saves_new_choices(client, area, other_area):
    sam = confirmed("sam@example.com", area)

    response = client.post(
        manage_path(sam),
        {"neighbourhoods": ["alvaston"], "topics": ["surveys"], "frequency": "daily"},
    )

    assert response.status_code == 200
    assert "Your alerts have been changed" in text_of(response)
    sam.refresh_from_db()
    assert list(sam.neighbourhoods.all()) == [other_area]
    assert (sam.events, sam.priorities, sam.surveys) == (False, False, True)
    assert sam.frequency == "daily"


def test_the_manage_page_refuses_no_neighbourhood(client, area):
    sam = confirmed("sam@example.com", area)

    response = client.post(manage_path(sam), {"topics": ["events"], "frequency": "daily"})

    assert response.status_code == 200
    assert "Select at least one neighbourhood" in text_of(response)
    assert list(sam.neighbourhoods.all()) == [area]


@pytest.mark.parametrize("signed", ["1:forged-signature-of-some-length", "nonsense", "1"])
def test_a_forged_manage_link_says_it_does_not_work(client, area, signed):
    confirmed("sam@example.com", area)
    response = client.get(f"/alerts/manage/{signed}/")
    assert response.status_code == 404
    assert "This link does not work" in text_of(response)


def test_a_manage_link_altered_to_another_subscriber_says_it_does_not_work(client, area):
    sam = confirmed("sam@example.com", area)
    other = confirmed("other@example.com", area)
    _pk, signature = subscriptions.manage_signature(sam.pk).split(":", 1)

    response = client.get(f"/alerts/manage/{other.pk}:{signature}/")

    assert response.status_code == 404
    assert "other@example.com" not in response.content.decode()


def test_the_manage_page_of_an_unsubscribed_address_offers_to_sign_up(client, area):
    sam = confirmed("sam@example.com", area)
    subscriptions.subscriber_unsubscribe(subscriber_id=sam.pk)

    response = client.get(manage_path(sam))

    assert response.status_code == 200
    assert "This address has unsubscribed" in text_of(response)


# --- Unsubscribing ------------------------------------------------------------------------------


def unsubscribe_path(subscriber: Subscriber) -> str:
    return f"/alerts/unsubscribe/{subscriptions.unsubscribe_signature(subscriber.pk)}/"


def test_following_the_unsubscribe_link_shows_a_button_and_changes_nothing(client, area):
    sam = confirmed("sam@example.com", area)

    response = client.get(unsubscribe_path(sam))

    assert response.status_code == 200
    assert "Unsubscribe" in text_of(response)
    assert Subscriber.objects.active().exists()


def test_one_click_unsubscribe_needs_no_csrf_token(area):
    sam = confirmed("sam@example.com", area)
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        unsubscribe_path(sam),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    sam.refresh_from_db()
    assert sam.unsubscribed_at is not None


def test_other_pages_still_need_the_csrf_token(area):
    sam = confirmed("sam@example.com", area)
    response = Client(enforce_csrf_checks=True).post(
        manage_path(sam), {"neighbourhoods": ["normanton"]}
    )
    assert response.status_code == 403


def test_unsubscribing_again_or_after_deletion_still_answers_ok(client, area):
    sam = confirmed("sam@example.com", area)
    path = unsubscribe_path(sam)
    client.post(path)
    Subscriber.objects.all().delete()

    response = client.post(path)

    assert response.status_code == 200
    assert "You have unsubscribed" in text_of(response)


def test_a_forged_unsubscribe_link_says_it_does_not_work(client, area):
    sam = confirmed("sam@example.com", area)
    signed = subscriptions.manage_signature(sam.pk)  # a manage signature is not an unsubscribe one

    response = client.post(f"/alerts/unsubscribe/{signed}/")

    assert response.status_code == 404
    assert Subscriber.objects.active().exists()


# --- Links to the pages -------------------------------------------------------------------------


def test_the_neighbourhood_page_links_to_its_alerts(client, area):
    response = client.get(area.get_absolute_url())
    assert "/alerts/?neighbourhood=normanton" in hrefs(response)
    assert "Get email alerts for this neighbourhood" in response.content.decode()


def test_every_page_links_to_alerts_in_the_footer(client):
    assert ("Get alerts", "/alerts/") in links(client.get("/").content.decode())


def test_the_manage_page_costs_the_same_with_200_neighbourhoods(
    client, django_assert_max_num_queries
):
    force = ForceFactory()
    divisions = [DivisionFactory(force=force) for _ in range(8)]
    areas = [NeighbourhoodFactory(force=force, division=divisions[n % 8]) for n in range(200)]
    subscriber = confirmed("sam@example.com", *areas[:150])

    with django_assert_max_num_queries(4):
        response = client.get(manage_path(subscriber))
    assert response.status_code == 200
    assert response.content.decode().count("checked") >= 150
