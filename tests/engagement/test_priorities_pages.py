"""The staff priorities pages, the staff home link, and "You said, we did" on the public page."""

import datetime

import pytest

from config.dates import LONDON
from engagement.models import Priority, PrioritySupport
from officers.models import Assignment
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory, PriorityFactory
from tests.form_data import with_date_boxes
from tests.html import elements, hrefs, links, texts, title

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture
def officer_client(client, area, officer_account):
    officer = OfficerFactory(user=officer_account)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    client.force_login(officer_account)
    return client


def stale(priority: Priority, days: int) -> Priority:
    Priority.objects.filter(pk=priority.pk).update(updated_at=NOW - datetime.timedelta(days=days))
    return priority


def form(**fields) -> dict:
    data = {
        "issue": "Parking on pavements",
        "action": "",
        "status": "open",
        "issue_date": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "action_date": "",
        "review_date": "",
        **fields,
    }
    return with_date_boxes(data, "issue_date", "action_date", "review_date")


# --- The list -----------------------------------------------------------------------------------


def test_list_needs_a_signed_in_user(client):
    response = client.get("/staff/priorities/")

    assert response.status_code == 302
    assert "/staff/sign-in/" in response["Location"]


def test_list_is_refused_to_opcc(client, opcc_account):
    client.force_login(opcc_account)

    assert client.get("/staff/priorities/").status_code == 403


def test_list_shows_my_priorities_with_overdue_ones_first(officer_client, area):
    PriorityFactory(neighbourhood=area, issue="Newer and fine", issue_date=TODAY)
    stale(PriorityFactory(neighbourhood=area, issue="Older and overdue"), 120)
    PriorityFactory(issue="Someone else's")

    page = officer_client.get("/staff/priorities/").content.decode()

    assert "Someone else&#x27;s" not in page
    assert page.index("Older and overdue") < page.index("Newer and fine")
    assert texts(page, "strong").count("Overdue for review") == 1


def test_update_link_names_the_whole_priority_for_screen_readers(officer_client, area):
    issue = "Anti-social behaviour around the shops on Normanton Road in the evenings"
    PriorityFactory(neighbourhood=area, issue=issue)

    page = officer_client.get("/staff/priorities/").content.decode()

    hidden = [
        span
        for span in elements(page, "span", class_="govuk-visually-hidden")
        if span.text == issue
    ]
    assert [span.parent.text for span in hidden] == [f"Update {issue}"]


def test_list_leaves_out_resolved_until_asked(officer_client, area):
    PriorityFactory(neighbourhood=area, issue="Done", status="resolved", action="Fixed")

    assert "Done" not in officer_client.get("/staff/priorities/").content.decode()
    page = officer_client.get("/staff/priorities/?status=resolved").content.decode()
    assert "Done" in page


def test_overdue_filter_lists_only_overdue(officer_client, area):
    PriorityFactory(neighbourhood=area, issue="Fine")
    stale(PriorityFactory(neighbourhood=area, issue="Late"), 120)

    page = officer_client.get("/staff/priorities/?overdue=1").content.decode()

    assert "Late" in page and "Fine<" not in page


def test_a_nonsense_filter_shows_a_message_not_an_error(officer_client, area):
    response = officer_client.get("/staff/priorities/?status=bogus&neighbourhood=%00x")

    assert response.status_code == 200
    assert "Choose one of the statuses listed" in response.content.decode()


def test_supervisor_sees_overdue_priorities_of_neighbourhoods_they_lead(
    client, area, supervisor_account
):
    AssignmentFactory(
        officer=OfficerFactory(user=supervisor_account),
        neighbourhood=area,
        role=Assignment.Role.SERGEANT,
    )
    stale(PriorityFactory(neighbourhood=area, issue="Late one"), 120)
    client.force_login(supervisor_account)

    page = client.get("/staff/priorities/").content.decode()

    assert "overdue for review in the neighbourhoods you supervise" in page


def test_list_runs_a_fixed_number_of_queries(officer_client, area, django_assert_max_num_queries):
    others = NeighbourhoodFactory.create_batch(5)
    officer = Assignment.objects.get(neighbourhood=area).officer
    for other in others:
        AssignmentFactory(officer=officer, neighbourhood=other, role=Assignment.Role.TEAM_MEMBER)
    Priority.objects.bulk_create(
        Priority(neighbourhood=n, issue=f"Issue {i}", issue_date=TODAY)
        for n in [area, *others]
        for i in range(30)
    )

    with django_assert_max_num_queries(12):
        response = officer_client.get("/staff/priorities/")

    assert response.status_code == 200
    assert response.content.decode().count(">Update<") == 180


# --- Adding and updating -----------------------------------------------------------------------


def test_officer_adds_a_priority(officer_client, area):
    response = officer_client.post("/staff/priorities/new/", form(neighbourhood=area.pk))

    assert response.status_code == 302
    assert Priority.objects.get().issue == "Parking on pavements"


def test_add_form_shows_the_service_message_next_to_the_field(officer_client, area):
    response = officer_client.post(
        "/staff/priorities/new/", form(neighbourhood=area.pk, status="resolved")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "#id_action" in hrefs(page)
    assert "Enter what was done, to mark the priority resolved" in page
    assert not Priority.objects.exists()


def test_an_officer_who_chose_welsh_gets_the_service_message_in_welsh(
    officer_client, settings, area
):
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = officer_client.post(
        "/staff/priorities/new/", form(neighbourhood=area.pk, status="resolved")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert title(page).startswith("Gwall: Ychwanegu blaenoriaeth")
    assert "Rhowch beth a wnaed, i nodi bod y flaenoriaeth wedi’i datrys" in page
    assert "Enter what was done" not in page
    assert not Priority.objects.exists()


def test_add_form_refuses_another_neighbourhood(officer_client):
    other = NeighbourhoodFactory()

    response = officer_client.post("/staff/priorities/new/", form(neighbourhood=other.pk))

    assert "Choose one of the neighbourhoods you look after" in response.content.decode()
    assert not Priority.objects.exists()


def test_a_bad_date_gets_a_message(officer_client, area):
    response = officer_client.post(
        "/staff/priorities/new/",
        form(
            neighbourhood=area.pk, issue_date_day="31", issue_date_month="2", issue_date_year="2026"
        ),
    )

    assert "The date raised must be a real date" in response.content.decode()
    assert not Priority.objects.exists()


def test_officer_resolves_a_priority(officer_client, area):
    priority = PriorityFactory(neighbourhood=area, issue_date=TODAY - datetime.timedelta(days=9))

    response = officer_client.post(
        f"/staff/priorities/{priority.pk}/edit/",
        form(
            issue=priority.issue,
            issue_date=priority.issue_date.isoformat(),
            status="resolved",
            action="Bollards installed.",
        ),
    )

    assert response.status_code == 302
    priority.refresh_from_db()
    assert priority.status == "resolved"
    assert priority.action_date == TODAY


def test_an_officer_who_chose_welsh_is_told_in_welsh_that_the_priority_is_resolved(
    officer_client, settings, area
):
    priority = PriorityFactory(neighbourhood=area, issue_date=TODAY - datetime.timedelta(days=9))
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = officer_client.post(
        f"/staff/priorities/{priority.pk}/edit/",
        form(
            issue=priority.issue,
            issue_date=priority.issue_date.isoformat(),
            status="resolved",
            action="Bollards installed.",
        ),
        follow=True,
    )

    page = response.content.decode()
    assert (
        "Mae’r flaenoriaeth wedi’i datrys. Mae trigolion yn ei gweld o dan "
        "“Dywedoch chi, gwnaethom ni”." in page
    )
    assert "The priority is resolved" not in page
    listing = officer_client.get("/staff/priorities/", {"status": "all"}).content.decode()
    assert "Codwyd 5 Medi 2026" in listing
    assert "ar 14 Medi 2026" in listing
    assert "September" not in listing


def test_edit_of_another_neighbourhood_s_priority_is_refused(officer_client):
    priority = PriorityFactory()

    assert officer_client.get(f"/staff/priorities/{priority.pk}/edit/").status_code == 403
    response = officer_client.post(f"/staff/priorities/{priority.pk}/edit/", form())
    assert response.status_code == 403


def test_edit_of_an_unknown_priority_is_a_404(officer_client):
    assert officer_client.get("/staff/priorities/999999/edit/").status_code == 404


def test_edit_page_warns_when_overdue(officer_client, area):
    priority = stale(PriorityFactory(neighbourhood=area), 120)

    page = officer_client.get(f"/staff/priorities/{priority.pk}/edit/").content.decode()

    assert "This priority is overdue for review" in page


# --- The staff home -----------------------------------------------------------------------------


def test_staff_home_links_to_priorities_with_the_overdue_count(officer_client, area):
    stale(PriorityFactory(neighbourhood=area), 120)
    stale(PriorityFactory(neighbourhood=area), 100)

    page = officer_client.get("/staff/").content.decode()

    assert ("Local priorities", "/staff/priorities/") in links(page)
    assert "2 priorities are overdue for review" in page


# --- The public page ---------------------------------------------------------------------------


def resolved(area, issue: str, days_ago: int, action: str = "Done.") -> Priority:
    return PriorityFactory(
        neighbourhood=area,
        issue=issue,
        action=action,
        status=Priority.Status.RESOLVED,
        issue_date=TODAY - datetime.timedelta(days=days_ago + 30),
        action_date=TODAY - datetime.timedelta(days=days_ago),
    )


def test_public_page_shows_resolved_priorities_under_you_said_we_did(client, area):
    PriorityFactory(neighbourhood=area, issue="Still going")
    resolved(area, "Litter in the park", 10, action="Extra bins <and> a clean-up day")

    page = client.get(area.get_absolute_url()).content.decode()

    section = page[page.index("You said, we did</h2>") :]
    assert "You said: Litter in the park" in section
    assert "Extra bins &lt;and&gt; a clean-up day" in section
    assert f"{TODAY - datetime.timedelta(days=10):%-d %B %Y}" in section
    assert "Still going" not in section


def test_public_page_shows_the_last_five_resolved_in_the_past_year(client, area):
    for days in (5, 40, 80, 120, 160, 200):
        resolved(area, f"Resolved {days} days ago", days)
    resolved(area, "Resolved long ago", 400)

    page = client.get(area.get_absolute_url()).content.decode()

    assert page.count("You said: Resolved") == 5
    assert "Resolved 200 days ago" not in page
    assert "Resolved long ago" not in page
    assert page.index("Resolved 5 days ago") < page.index("Resolved 160 days ago")


def test_public_page_has_no_you_said_we_did_without_resolved_priorities(client, area):
    PriorityFactory(neighbourhood=area)

    assert "You said, we did" not in texts(client.get(area.get_absolute_url()), "h2")


def test_public_page_query_count_is_fixed_with_many_resolved_priorities(
    client, area, django_assert_max_num_queries
):
    Priority.objects.bulk_create(
        Priority(
            neighbourhood=area,
            issue=f"Issue {n}",
            action="Done",
            status=Priority.Status.RESOLVED if n % 2 else Priority.Status.OPEN,
            issue_date=TODAY - datetime.timedelta(days=n),
            action_date=TODAY - datetime.timedelta(days=n // 2),
        )
        for n in range(400)
    )

    with django_assert_max_num_queries(7):
        response = client.get(area.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("You said: Issue") == 5
    assert page.count("What we are doing") == 10


def test_list_shows_how_many_residents_support_each_priority(officer_client, area):
    priority = PriorityFactory(neighbourhood=area, issue="Speeding on Fox Lane")
    for n in range(3):
        PrioritySupport.objects.create(
            priority=priority,
            email_hash=f"{n:064x}",
            confirm_token_hash=f"{n + 100:064x}",
            confirmed_at=NOW,
        )
    PrioritySupport.objects.create(
        priority=priority, email_hash="f" * 64, confirm_token_hash="e" * 64
    )

    page = officer_client.get("/staff/priorities/").content.decode()

    assert "Residents supporting" in texts(page, "th")
    assert "3" in texts(page, "td", class_="govuk-table__cell--numeric")
