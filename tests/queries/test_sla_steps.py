"""What each step of the ladder tells whom: its email, its entry in the query's history, and
who is told when the neighbourhood lacks someone in a role."""

import datetime

import pytest

from notifications.models import OutboxEmail
from officers.models import Assignment, StaffLanguage
from queries.models import EscalationStep, QueryEvent
from queries.services.sla import sla_sweep, waited_display
from tests.factories import AssignmentFactory, OfficerFactory, UserFactory
from tests.fixtures.mail import send_outbox
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def team(time_machine):
    time_machine.move_to(SUBMITTED, tick=False)
    return neighbourhood_with_team(name="Derby City Centre")


def sweep_just_after(time_machine, hours: float) -> int:
    time_machine.move_to(SUBMITTED + hours * HOUR + SECOND, tick=False)
    return sla_sweep()


def email_starting(subject: str) -> OutboxEmail:
    """The one email whose subject starts so, as its recipients get it."""
    send_outbox()
    [email] = OutboxEmail.objects.filter(subject__startswith=subject)
    return email


@pytest.mark.parametrize(
    ("waited", "shown"),
    [
        (-5 * SECOND, "0 minutes"),
        (59 * SECOND, "0 minutes"),
        (MINUTE, "1 minute"),
        (MINUTE + 59 * SECOND, "1 minute"),
        (2 * MINUTE, "2 minutes"),
        (59 * MINUTE + 59 * SECOND, "59 minutes"),
        (HOUR, "1 hour"),
        (HOUR + 59 * MINUTE, "1 hour"),
        (2 * HOUR, "2 hours"),
        (49 * HOUR, "49 hours"),
    ],
)
def test_time_waited_reads_in_whole_hours_or_under_an_hour_in_minutes(waited, shown):
    assert waited_display(waited) == shown


def test_first_look_asks_the_holder_and_sergeant_and_names_the_urgent_words(time_machine, team):
    neighbourhood, officers = team
    named, sergeant = officers["named"], officers["sergeant"]
    named.display_name = "PC Amrit Gill"
    named.save(update_fields=["display_name"])
    query = QueryFactory(
        neighbourhood=neighbourhood,
        submitted_at=SUBMITTED,
        assigned_officer=named,
        urgent_reasons=["a weapon", "someone hurt"],
    )

    assert sweep_just_after(time_machine, 1) == 1

    email = email_starting("First look needed")
    assert email.to == [named.email, sergeant.email]
    assert (
        f"Query {query.reference} has waited 1 hour and nobody has answered it. Its message may "
        "describe an emergency: a weapon, someone hurt."
    ) in email.body_text
    assert "Assigned to: PC Amrit Gill" in email.body_text
    event = query.events.get(kind=QueryEvent.Kind.FIRST_LOOK)
    assert event.body == f"First-look request emailed to {named.email}, {sergeant.email}."


def test_reminder_says_who_holds_the_query_and_the_history_says_who_was_reminded(
    time_machine, team
):
    neighbourhood, officers = team
    named = officers["named"]
    named.display_name = "PC Amrit Gill"
    named.save(update_fields=["display_name"])
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=named
    )

    sweep_just_after(time_machine, 48)

    reminder = email_starting("Reminder")
    assert "has waited 48 hours for a response" in reminder.body_text
    assert "Assigned to: PC Amrit Gill" in reminder.body_text
    event = query.events.get(kind=QueryEvent.Kind.REMINDER)
    assert event.body == f"Reminder emailed to {named.email}."


def test_breach_of_an_unassigned_query_says_no_one_holds_it(time_machine, team):
    neighbourhood, _ = team
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=None)

    sweep_just_after(time_machine, 72)

    breach = email_starting("Response target missed")
    assert "Assigned to: no one\n" in breach.body_text
    assert "Assigned to: no one" in breach.body_html


def test_query_on_a_topic_no_longer_offered_shows_the_topic_as_recorded(time_machine, team):
    neighbourhood, _ = team
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, topic="parking")

    sweep_just_after(time_machine, 72)

    assert "Topic: parking\n" in email_starting("Response target missed").body_text


def test_a_sweep_for_a_given_time_reminds_the_officer_named_on_that_day(time_machine, team):
    """sla_sweep(now=...) takes the steps due by `now` and sends them to the team serving on
    that day, not on the day its clock reads."""
    neighbourhood, _ = team
    neighbourhood.assignments.filter(role="named").update(end_date=datetime.date(2026, 11, 3))
    successor = OfficerFactory()
    AssignmentFactory(
        officer=successor,
        neighbourhood=neighbourhood,
        role=Assignment.Role.NAMED_OFFICER,
        start_date=datetime.date(2026, 11, 4),
    )
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=None)

    assert sla_sweep(now=SUBMITTED + 48 * HOUR + SECOND) == 1

    assert email_starting("Reminder").to == [successor.email]


def test_unassigned_query_with_no_named_officer_or_team_reminds_the_sergeant(time_machine, team):
    neighbourhood, officers = team
    neighbourhood.assignments.filter(role__in=["named", "team"]).delete()
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=None)

    sweep_just_after(time_machine, 48)

    assert email_starting("Reminder").to == [officers["sergeant"].email]


def test_unassigned_query_with_no_named_officer_or_sergeant_reminds_the_team(time_machine, team):
    neighbourhood, officers = team
    neighbourhood.assignments.filter(role__in=["named", "sergeant"]).delete()
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=None)

    sweep_just_after(time_machine, 48)

    assert email_starting("Reminder").to == [officers["team"].email]


def test_escalation_without_an_inspector_still_reaches_the_opcc(time_machine, settings, team):
    neighbourhood, _ = team
    neighbourhood.assignments.filter(role="inspector").delete()
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)

    assert sweep_just_after(time_machine, 96) == 3

    assert email_starting("Escalated").to == [settings.OPCC_CONTACT_EMAIL]


def test_a_ladder_of_the_forces_own_tells_everyone_it_names(time_machine, settings, team):
    """A force may reorder who hears of a step, and add steps of its own: those send the
    escalation email and are recorded as escalations, under their own name."""
    settings.QUERY_ESCALATION_LADDER = [
        {"step": "reminder", "after_hours": 48, "notify": ["sergeant", "assigned_officer"]},
        {"step": "welfare", "after_hours": 60, "notify": ["sergeant", "inspector"]},
        {"step": "breach", "after_hours": 72, "notify": ["sergeant"]},
    ]
    neighbourhood, officers = team
    named, sergeant, inspector = officers["named"], officers["sergeant"], officers["inspector"]
    query = QueryFactory(
        neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=named
    )

    assert sweep_just_after(time_machine, 60) == 2

    assert email_starting("Reminder").to == [sergeant.email, named.email]
    welfare = email_starting("Escalated")
    assert welfare.to == [sergeant.email, inspector.email]
    assert "still has no response after 60 hours" in welfare.body_text
    event = query.events.get(kind=QueryEvent.Kind.ESCALATION)
    assert event.body == f"Welfare notice emailed to {sergeant.email}, {inspector.email}."
    query.refresh_from_db()
    assert query.next_escalation_step == "breach"


def test_each_officer_a_step_names_is_written_to_in_their_language_whatever_the_order(
    time_machine, settings, team
):
    """Everyone a step names reads Welsh: one email in Welsh reaches them all, wherever the
    ladder puts them in its list."""
    settings.QUERY_ESCALATION_LADDER = [
        {"step": "reminder", "after_hours": 48, "notify": ["sergeant", "assigned_officer"]},
        {
            "step": "welfare",
            "after_hours": 60,
            "notify": ["assigned_officer", "sergeant", "inspector"],
        },
    ]
    neighbourhood, officers = team
    named, sergeant, inspector = officers["named"], officers["sergeant"], officers["inspector"]
    for officer in (named, sergeant, inspector):
        officer.user = UserFactory()
        officer.save(update_fields=["user"])
        StaffLanguage.objects.create(user=officer.user, language="cy")
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=named)

    assert sweep_just_after(time_machine, 60) == 2

    send_outbox()
    reminder, welfare = OutboxEmail.objects.order_by("pk")
    assert reminder.to == [sergeant.email, named.email]
    assert reminder.subject.startswith("Nodyn atgoffa")
    assert "wedi aros 60 awr am ymateb" in reminder.body_text
    assert welfare.to == [named.email, sergeant.email, inspector.email]
    assert welfare.subject.startswith("Wedi\u2019i uwchgyfeirio")
    assert "60 awr" in welfare.body_text


def test_a_ladder_naming_someone_unknown_stops_the_sweep_with_the_name(
    time_machine, settings, team
):
    settings.QUERY_ESCALATION_LADDER = [
        {"step": "reminder", "after_hours": 48, "notify": ["mayor"]},
    ]
    neighbourhood, _ = team
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)

    with pytest.raises(ValueError, match="QUERY_ESCALATION_LADDER: unknown recipient 'mayor'"):
        sweep_just_after(time_machine, 48)

    assert not OutboxEmail.objects.exists()


def test_query_whose_reference_the_staff_pages_do_not_take_is_still_reminded_with_a_link(
    time_machine, settings, team
):
    """A reference written before today's format (lower case) cannot be reversed: the email
    goes all the same, its link spelled out."""
    settings.SITE_URL = "https://portal.example.police.uk"
    neighbourhood, _ = team
    QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED, reference="q-2019-17")

    assert sweep_just_after(time_machine, 48) == 1

    reminder = email_starting("Reminder")
    assert "https://portal.example.police.uk/staff/queries/q-2019-17/" in reminder.body_text


def test_query_pointed_at_a_step_since_taken_off_the_ladder_has_nothing_left_to_take(
    time_machine, settings, team
):
    """The force drops the reminder: a query waiting for it takes no step and waits for no
    more, while the queries after it in the same batch take theirs."""
    neighbourhood, officers = team
    stranded = QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)
    settings.QUERY_ESCALATION_LADDER = [
        {"step": "breach", "after_hours": 72, "notify": ["sergeant"]},
        {"step": "escalation", "after_hours": 96, "notify": ["inspector", "opcc"]},
    ]
    other = QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)
    assert (stranded.next_escalation_step, other.next_escalation_step) == ("reminder", "breach")

    assert sweep_just_after(time_machine, 72) == 1

    stranded.refresh_from_db()
    assert (stranded.next_escalation_step, stranded.next_escalation_at) == ("", None)
    assert not stranded.events.exists()
    assert not EscalationStep.objects.filter(query=stranded).exists()
    assert email_starting("Response target missed").to == [officers["sergeant"].email]
    other.refresh_from_db()
    assert other.next_escalation_step == "escalation"
    assert sweep_just_after(time_machine, 90) == 0


def test_a_step_is_dated_at_the_sweeps_time_and_the_query_marked_changed(time_machine, team):
    """A sweep asked to work as at an earlier time records its steps at that time; the query
    shows it changed when the sweep ran."""
    neighbourhood, _ = team
    query = QueryFactory(neighbourhood=neighbourhood, submitted_at=SUBMITTED)
    ran_at = SUBMITTED + 50 * HOUR
    time_machine.move_to(ran_at, tick=False)

    assert sla_sweep(now=SUBMITTED + 49 * HOUR) == 1

    assert query.events.get(kind=QueryEvent.Kind.REMINDER).created_at == SUBMITTED + 49 * HOUR
    assert EscalationStep.objects.get(query=query).taken_at == SUBMITTED + 49 * HOUR
    query.refresh_from_db()
    assert query.updated_at == ran_at
