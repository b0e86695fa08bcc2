"""Every opening of a page that shows a resident's details is in the audit, with who, when and
from which address; a refused request leaves no record (nothing was seen). The pages: the staff
query page, the staff event page (its registrations), and the admin pages of queries, their
timeline entries, registrations and survey answers."""

import pytest

from audit.models import AuditRecord
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EVERYONE = [
    "named officer",
    "team member",
    "sergeant",
    "officer of another neighbourhood",
    "OPCC",
    "no role",
    "administrator",
]
THE_TEAM = {"named officer", "team member", "sergeant", "administrator"}


def pages(data) -> list[tuple[str, str, str, object, str, set[str]]]:
    """(page, url, subject type, subject id, query reference, who may open it)."""
    query, meeting = data["query"], data["meeting"]
    reference = query.reference
    return [
        (
            "staff query page",
            query.get_absolute_url(),
            "query",
            query.pk,
            reference,
            THE_TEAM | {"OPCC"},
        ),
        ("staff event page", f"/staff/events/{meeting.pk}/", "event", meeting.pk, "", THE_TEAM),
        (
            "admin query page",
            f"/admin/queries/query/{query.pk}/change/",
            "query",
            query.pk,
            reference,
            {"administrator"},
        ),
        (
            "admin query history",
            f"/admin/queries/query/{query.pk}/history/",
            "query",
            query.pk,
            reference,
            {"administrator"},
        ),
        (
            "admin query timeline entry",
            f"/admin/queries/queryevent/{data['query event'].pk}/change/",
            "query event",
            data["query event"].pk,
            reference,
            {"administrator"},
        ),
        (
            "admin registration page",
            f"/admin/meetings/registration/{data['registration'].pk}/change/",
            "registration",
            data["registration"].pk,
            "",
            {"administrator"},
        ),
        (
            "admin registrations list",
            "/admin/meetings/registration/",
            "registration",
            "",
            "",
            {"administrator"},
        ),
        (
            "admin survey answer page",
            f"/admin/engagement/surveyresponse/{data['answer'].pk}/change/",
            "survey answer",
            data["answer"].pk,
            "",
            {"administrator"},
        ),
    ]


@pytest.mark.parametrize("who", EVERYONE)
def test_each_allowed_view_of_residents_details_is_recorded_and_no_refused_one(
    client, people, resident_data, who
):
    account = people[who]
    client.force_login(account)
    for page, url, subject_type, subject_id, reference, allowed in pages(resident_data):
        before = AuditRecord.objects.order_by("pk").values_list("pk", flat=True).last() or 0
        response = client.get(url, REMOTE_ADDR="203.0.113.7")
        views = AuditRecord.objects.filter(
            pk__gt=before,
            actor=account,
            action=AuditRecord.Action.VIEWED,
            subject_type=subject_type,
            subject_id=str(subject_id),
        )
        if who in allowed:
            assert response.status_code == 200, (who, page, response.status_code)
            record = views.get()
            assert record.actor_name == account.username, page
            assert record.address == "203.0.113.7", page
            assert record.reference == reference, page
            assert record.detail, page
        else:
            assert response.status_code in (302, 403), (who, page, response.status_code)
            assert not views.exists(), (who, page)
    seen = AuditRecord.objects.filter(actor=account, action=AuditRecord.Action.VIEWED)
    expected = sum(who in allowed for *_rest, allowed in pages(resident_data))
    assert seen.count() == expected


def test_a_visitor_is_sent_to_sign_in_and_nothing_is_recorded(client, resident_data):
    for _page, url, *_rest in pages(resident_data):
        response = client.get(url)
        assert response.status_code == 302, url
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.VIEWED).exists()


def test_the_query_page_record_says_whether_the_residents_details_were_shown(
    client, people, resident_data
):
    url = resident_data["query"].get_absolute_url()
    for who in ("OPCC", "named officer"):
        client.force_login(people[who])
        client.get(url)

    details = dict(
        AuditRecord.objects.filter(action=AuditRecord.Action.VIEWED).values_list(
            "actor_name", "detail"
        )
    )
    assert details["opcc"] == "staff query page, without the resident's details"
    assert details["priya"] == "staff query page, with the resident's details"


def test_the_client_address_behind_trusted_proxies_is_recorded(
    client, settings, people, resident_data
):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(people["named officer"])

    client.get(
        resident_data["query"].get_absolute_url(),
        HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.44",
        REMOTE_ADDR="10.0.0.2",
    )

    assert AuditRecord.objects.get(action=AuditRecord.Action.VIEWED).address == "192.0.2.44"


def test_an_event_with_nobody_registered_shows_no_residents_and_is_not_recorded(
    client, people, area
):
    meeting = EventFactory(neighbourhood=area)
    client.force_login(people["named officer"])

    assert client.get(f"/staff/events/{meeting.pk}/").status_code == 200
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.VIEWED).exists()


def test_the_record_never_holds_the_residents_words(client, people, resident_data):
    client.force_login(people["administrator"])
    for _page, url, *_rest in pages(resident_data):
        client.get(url)

    for record in AuditRecord.objects.all():
        text = " ".join(str(value) for value in record.__dict__.values())
        assert "Winifred" not in text
        assert "Motorbikes" not in text
        assert "Albert" not in text
