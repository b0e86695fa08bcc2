"""Every email about a query is in its reader's language: the resident's (the one the query was
sent in) for the reply and a new tracking link; each officer's chosen one for the notices to
staff; a team inbox with no one behind it (the OPCC's) reads English."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from config.roles import Role
from notifications.models import OutboxEmail
from officers.models import Assignment, Rank, StaffLanguage
from queries.services.resident import (
    query_resident_escalate,
    query_resident_reply,
)
from queries.services.sla import sla_sweep
from queries.services.staff import query_reassign, query_reply
from tests.factories import AssignmentFactory, OfficerFactory
from tests.fixtures.mail import send_outbox
from tests.html import language
from tests.queries.factories import QueryFactory
from tests.queries.test_contact import contact_url, form_data

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)  # Monday, 10am in London
HOUR = datetime.timedelta(hours=1)
SERVING_SINCE = datetime.date(2026, 1, 1)


def reads_welsh(user) -> None:
    StaffLanguage.objects.create(user=user, language="cy")


def welsh_inspector_of(area, make_account) -> None:
    """Ifan (ifan@example.police.uk), the inspector over `area`, who chose Cymraeg."""
    inspector = OfficerFactory(
        user=make_account(Role.OFFICER, Role.SUPERVISOR, username="inspector"),
        rank=Rank.INSP,
        email="ifan@example.police.uk",
    )
    reads_welsh(inspector.user)
    AssignmentFactory(
        officer=inspector,
        neighbourhood=area,
        start_date=SERVING_SINCE,
        role=Assignment.Role.INSPECTOR,
    )


@pytest.fixture
def priya(area, officer_account):
    officer = OfficerFactory(
        user=officer_account, display_name="Priya Sharma", email="priya@example.police.uk"
    )
    AssignmentFactory(
        officer=officer,
        neighbourhood=area,
        start_date=SERVING_SINCE,
        role=Assignment.Role.NAMED_OFFICER,
    )
    return officer


@pytest.fixture
def sergeant(area, supervisor_account):
    officer = OfficerFactory(
        user=supervisor_account,
        display_name="Mark Riley",
        rank=Rank.SGT,
        email="mark@example.police.uk",
    )
    AssignmentFactory(
        officer=officer, neighbourhood=area, start_date=SERVING_SINCE, role=Assignment.Role.SERGEANT
    )
    return officer


def query_in(language: str, area, priya, **fields):
    return QueryFactory(
        neighbourhood=area,
        assigned_officer=priya,
        submitted_at=SUBMITTED,
        email="winifred@example.com",
        language=language,
        **fields,
    )


def emails_to(address: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(to__contains=[address]).order_by("pk"))


# --- To the resident ---------------------------------------------------------------------------


def test_the_reply_to_a_query_sent_in_welsh_is_in_welsh(area, priya):
    query = query_in("cy", area, priya)

    # The officer works in English; the resident reads Welsh.
    query_reply(query=query, by=priya.user, message="We will patrol.", now=SUBMITTED + 5 * HOUR)

    [email] = emails_to("winifred@example.com")
    assert email.subject == (
        f"Ateb i\u2019ch ymholiad {query.reference} gan heddlu cymdogaeth Normanton"
    )
    assert "Priya Sharma o dîm plismona cymdogaeth Normanton wedi ateb eich ymholiad " in (
        email.body_text
    )
    assert "We will patrol." in email.body_text
    assert "A wnaeth hyn ateb eich ymholiad?" in email.body_text
    assert re.search(r"/cy/queries/answer/\S+/", email.body_text)
    assert "/cy/queries/new-link/" in email.body_text
    assert language(email.body_html) == "cy"


def test_the_reply_to_a_query_sent_in_english_is_in_english(area, priya):
    query = query_in("en-gb", area, priya)

    query_reply(query=query, by=priya.user, message="We will patrol.", now=SUBMITTED + 5 * HOUR)

    [email] = emails_to("winifred@example.com")
    assert email.subject == (
        f"Reply to your query {query.reference} from Normanton neighbourhood police"
    )
    assert "/cy/" not in email.body_text
    assert language(email.body_html) == "en-GB"


def test_a_new_link_asked_for_on_an_english_page_comes_in_the_language_of_the_query(area, priya):
    query = query_in("cy", area, priya)

    assert Client().post(
        "/queries/new-link/", {"reference": query.reference, "email": "winifred@example.com"}
    ).status_code in (200, 302)

    [email] = emails_to("winifred@example.com")
    assert email.subject == f"Dolen newydd i\u2019ch ymholiad {query.reference}"
    assert "/cy/queries/track/" in email.body_text
    assert "Nid yw unrhyw ddolen hŷn" in email.body_text


# --- To staff ------------------------------------------------------------------------------------


def test_a_new_query_is_announced_in_the_officers_chosen_language(client, area, priya):
    reads_welsh(priya.user)

    response = client.post(contact_url(area), form_data())

    assert response.status_code == 302, response.content[:500]
    [notice] = emails_to("priya@example.police.uk")
    assert notice.subject.startswith("Ymholiad newydd DY-")
    assert "(Normanton): ymateb erbyn dydd" in notice.subject
    assert "Mae ymholiad newydd wedi cyrraedd ar gyfer tîm cymdogaeth Normanton." in (
        notice.body_text
    )
    # The resident wrote in English, and is answered in English.
    [confirmation] = emails_to("sam@example.com")
    assert confirmation.subject.startswith("Your query DY-")


def test_the_sla_reminder_and_breach_reach_each_officer_in_their_language(area, priya, sergeant):
    reads_welsh(priya.user)
    query = query_in("en-gb", area, priya)

    sla_sweep(now=SUBMITTED + 73 * HOUR)
    send_outbox()

    [reminder] = emails_to("priya@example.police.uk")
    assert reminder.subject.startswith(
        f"Nodyn atgoffa: mae angen ymateb i ymholiad {query.reference}"
    )
    assert "erbyn dydd Iau 4 Mehefin 2026 am 10am" in reminder.subject
    assert f"Mae ymholiad {query.reference} wedi aros 73 awr am ymateb." in reminder.body_text
    [breach] = emails_to("mark@example.police.uk")
    assert breach.subject == f"Response target missed: query {query.reference} (Normanton)"


def test_an_escalation_to_a_welsh_inspector_and_the_opcc_is_one_email_each(
    area, priya, make_account
):
    welsh_inspector_of(area, make_account)
    query = query_in("en-gb", area, priya)

    sla_sweep(now=SUBMITTED + 97 * HOUR)
    send_outbox()

    [welsh] = emails_to("ifan@example.police.uk")
    [english] = emails_to("opcc@example.police.uk")
    assert welsh.to == ["ifan@example.police.uk"]
    assert welsh.subject.startswith("Wedi\u2019i uwchgyfeirio: nid oes ymateb i ymholiad")
    assert "97 awr" in welsh.body_text
    assert english.to == ["opcc@example.police.uk"]
    assert english.subject == (
        f"Escalated: query {query.reference} (Normanton) still has no response"
    )


def test_a_residents_message_reaches_a_welsh_officer_in_welsh(area, priya):
    reads_welsh(priya.user)
    query = query_in("en-gb", area, priya)

    query_resident_reply(query=query, message="It happened again last night.")

    [email] = emails_to("priya@example.police.uk")
    assert email.subject == f"Ymholiad {query.reference}: neges newydd gan y preswylydd"
    assert "Mae\u2019r ymholiad yn dal i aros am ateb: atebwch erbyn dydd" in email.body_text


def test_a_residents_escalation_reaches_the_sergeant_in_welsh_and_the_opcc_in_english(
    area, priya, sergeant
):
    reads_welsh(sergeant.user)
    query = query_in("cy", area, priya)

    query_resident_escalate(query=query, now=SUBMITTED + 80 * HOUR)

    [welsh] = emails_to("mark@example.police.uk")
    [english] = emails_to("opcc@example.police.uk")
    assert welsh.subject == (
        f"Ymholiad {query.reference} wedi\u2019i uwchgyfeirio gan y preswylydd: dim ateb mewn pryd"
    )
    assert "Ni chafodd ateb erbyn dydd Iau 4 Mehefin am 10am" in welsh.body_text
    assert english.subject == (
        f"Query {query.reference} escalated by the resident: no reply in time"
    )
    assert "by Thursday 4 June at 10am" in english.body_text


def test_a_reassigned_query_is_told_to_the_new_officer_in_their_language(
    area, priya, sergeant, make_account
):
    gwen = OfficerFactory(
        user=make_account(Role.OFFICER, username="gwen"),
        display_name="Gwen Morgan",
        email="gwen@example.police.uk",
    )
    reads_welsh(gwen.user)
    AssignmentFactory(
        officer=gwen, neighbourhood=area, start_date=SERVING_SINCE, role=Assignment.Role.TEAM_MEMBER
    )
    query = query_in("en-gb", area, priya)

    query_reassign(query=query, by=sergeant.user, officer=gwen, reason="Gwen knows the street.")

    [email] = emails_to("gwen@example.police.uk")
    assert email.subject == (
        f"Mae ymholiad {query.reference} (Normanton) wedi\u2019i neilltuo i chi bellach"
    )
    assert "Helo Gwen Morgan," in email.body_text
    assert "Ymateb erbyn: dydd Iau 4 Mehefin 2026 am 10am" in email.body_text


def test_the_welsh_reply_arrives_through_smtp_in_welsh(area, priya, smtp_server):
    query = query_in("cy", area, priya)
    query_reply(query=query, by=priya.user, message="We will patrol.", now=SUBMITTED + 5 * HOUR)

    send_outbox()

    [message] = smtp_server.messages
    # A long encoded subject is folded onto the next line: its reader unfolds it.
    assert message["Subject"].strip() == (
        f"Ateb i\u2019ch ymholiad {query.reference} gan heddlu cymdogaeth Normanton"
    )
    assert "A wnaeth hyn ateb eich ymholiad?" in smtp_server.bodies()[0]


def test_the_welsh_confirmation_names_the_neighbourhood_in_welsh_where_written(client, area):
    area.name_cy = "Normanton (Cymraeg)"
    area.save()

    client.post(
        f"/cy/neighbourhoods/{area.slug}/contact/",
        {
            "topic": "other",
            "message": "A oes cyfarfod wedi'i drefnu ger yr orsaf fis nesaf?",
            "name": "Robin Resident",
            "email": "robin.cymraeg@example.com",
            "contact_preference": "email",
            "consent": "on",
        },
    )

    email = OutboxEmail.objects.get(to=["robin.cymraeg@example.com"])
    assert "Normanton (Cymraeg)" in email.body_text


# --- The neighbourhood's Welsh name ------------------------------------------------------------

WELSH_NAME = "Tre Norman"


@pytest.fixture
def welsh_named(area):
    area.name_cy = WELSH_NAME
    area.save(update_fields=["name_cy"])
    return area


def test_the_sla_steps_name_the_neighbourhood_in_each_officers_language(
    welsh_named, priya, sergeant
):
    reads_welsh(priya.user)
    query = query_in("en-gb", welsh_named, priya, urgent_reasons=["weapon"])

    sla_sweep(now=SUBMITTED + 73 * HOUR)
    send_outbox()

    first_look, reminder = emails_to("priya@example.police.uk")
    for welsh in (first_look, reminder):
        assert f"{query.reference} ({WELSH_NAME})" in welsh.subject
        assert f"Cymdogaeth: {WELSH_NAME}" in welsh.body_text
        assert "Normanton" not in welsh.body_text + welsh.body_html
    english = emails_to("mark@example.police.uk")
    assert [email.subject for email in english] == [
        f"First look needed: query {query.reference} (Normanton) has urgent words and no "
        "answer yet",
        f"Response target missed: query {query.reference} (Normanton)",
    ]
    assert all(WELSH_NAME not in email.body_text + email.body_html for email in english)


def test_the_escalation_names_the_neighbourhood_in_welsh_to_a_welsh_inspector_only(
    welsh_named, priya, make_account
):
    welsh_inspector_of(welsh_named, make_account)
    query = query_in("en-gb", welsh_named, priya)
    sla_sweep(now=SUBMITTED + 73 * HOUR)
    send_outbox()

    sla_sweep(now=SUBMITTED + 97 * HOUR)
    send_outbox()

    [welsh] = emails_to("ifan@example.police.uk")
    [english] = emails_to("opcc@example.police.uk")
    assert f"({WELSH_NAME})" in welsh.subject
    assert (
        english.subject == f"Escalated: query {query.reference} (Normanton) still has no response"
    )


@pytest.mark.parametrize(("welsh", "name"), [(True, WELSH_NAME), (False, "Normanton")])
def test_a_new_query_names_the_neighbourhood_in_the_officers_language(
    client, welsh_named, priya, welsh, name
):
    if welsh:
        reads_welsh(priya.user)

    client.post(contact_url(welsh_named), form_data())

    [notice] = emails_to("priya@example.police.uk")
    assert f"({name}):" in notice.subject
    assert f"{name}\n" in notice.body_text
    other = "Normanton" if welsh else WELSH_NAME
    assert other not in notice.subject + notice.body_text + notice.body_html


@pytest.mark.parametrize(("welsh", "name"), [(True, WELSH_NAME), (False, "Normanton")])
def test_a_residents_message_names_the_neighbourhood_in_the_officers_language(
    welsh_named, priya, welsh, name
):
    if welsh:
        reads_welsh(priya.user)
    query = query_in("cy", welsh_named, priya)

    query_resident_reply(query=query, message="It happened again last night.")

    [email] = emails_to("priya@example.police.uk")
    assert f" {name} " in email.body_text
    other = "Normanton" if welsh else WELSH_NAME
    assert other not in email.body_text + email.body_html


def test_a_residents_escalation_names_the_neighbourhood_in_each_readers_language(
    welsh_named, priya, sergeant
):
    reads_welsh(sergeant.user)
    query = query_in("cy", welsh_named, priya)

    query_resident_escalate(query=query, now=SUBMITTED + 80 * HOUR)

    [welsh] = emails_to("mark@example.police.uk")
    [english] = emails_to("opcc@example.police.uk")
    assert f"dîm cymdogaeth {WELSH_NAME} wedi" in welsh.body_text
    assert "Normanton" not in welsh.body_text + welsh.body_html
    assert "to the Normanton neighbourhood team" in english.body_text
    assert WELSH_NAME not in english.body_text + english.body_html


@pytest.mark.parametrize(("welsh", "name"), [(True, WELSH_NAME), (False, "Normanton")])
def test_a_reassigned_query_names_the_neighbourhood_in_the_new_officers_language(
    welsh_named, priya, sergeant, make_account, welsh, name
):
    gwen = OfficerFactory(
        user=make_account(Role.OFFICER, username="gwen"),
        display_name="Gwen Morgan",
        email="gwen@example.police.uk",
    )
    if welsh:
        reads_welsh(gwen.user)
    AssignmentFactory(
        officer=gwen,
        neighbourhood=welsh_named,
        start_date=SERVING_SINCE,
        role=Assignment.Role.TEAM_MEMBER,
    )
    query = query_in("en-gb", welsh_named, priya)

    query_reassign(query=query, by=sergeant.user, officer=gwen)

    [email] = emails_to("gwen@example.police.uk")
    assert f"{query.reference} ({name})" in email.subject
    assert f": {name}\n" in email.body_text
    assert f": {name}</li>" in email.body_html
    other = "Normanton" if welsh else WELSH_NAME
    assert other not in email.subject + email.body_text + email.body_html


def test_the_reply_to_a_welsh_query_names_the_neighbourhood_in_welsh(welsh_named, priya):
    query = query_in("cy", welsh_named, priya)

    query_reply(query=query, by=priya.user, message="We will patrol.", now=SUBMITTED + 5 * HOUR)

    [email] = emails_to("winifred@example.com")
    assert email.subject == (
        f"Ateb i\u2019ch ymholiad {query.reference} gan heddlu cymdogaeth {WELSH_NAME}"
    )
    assert f"dîm plismona cymdogaeth {WELSH_NAME} wedi ateb" in email.body_text
    assert "Normanton" not in email.body_text + email.body_html


def test_refusing_a_reassignment_in_welsh_names_the_neighbourhood_in_welsh(
    welsh_named, priya, sergeant, make_account
):
    stranger = OfficerFactory(user=make_account(Role.OFFICER, username="stranger"))
    query = query_in("en-gb", welsh_named, priya)

    with translation.override("cy"), pytest.raises(ValidationError) as refused:
        query_reassign(query=query, by=sergeant.user, officer=stranger)

    [message] = refused.value.message_dict["officer"]
    assert f"wedi\u2019i neilltuo i {WELSH_NAME}." in message
