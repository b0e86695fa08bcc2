"""Local priorities: the overdue rule, the services and each refusal, and the weekly email."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from config.dates import LONDON
from config.roles import Role
from engagement.models import Priority
from engagement.priorities import (
    is_overdue,
    overdue_priorities_notify,
    overdue_priority_count,
    priority_create,
    priority_raise_from_meeting,
    priority_update,
)
from notifications.models import OutboxEmail
from officers.models import Assignment
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory, PriorityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Monday 14 September 2026, 7:40am in London, when the weekly task runs.
NOW = datetime.datetime(2026, 9, 14, 7, 40, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture
def officer(area, officer_account):
    officer = OfficerFactory(user=officer_account, email="priya@example.police.uk")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer_account


def data(**fields):
    return {
        "issue": "Speeding on Osmaston Road",
        "action": "",
        "status": Priority.Status.OPEN,
        "issue_date": TODAY - datetime.timedelta(days=3),
        "action_date": None,
        "review_date": None,
        **fields,
    }


def last_updated(priority: Priority, days_ago: float) -> Priority:
    Priority.objects.filter(pk=priority.pk).update(
        updated_at=NOW - datetime.timedelta(days=days_ago)
    )
    priority.refresh_from_db()
    return priority


def errors_of(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- The overdue rule ---------------------------------------------------------------------------


def test_priority_updated_exactly_91_days_ago_is_not_yet_overdue(area):
    priority = last_updated(PriorityFactory(neighbourhood=area), 91)

    assert not is_overdue(priority, now=NOW)


def test_priority_updated_just_over_91_days_ago_is_overdue(area):
    priority = last_updated(PriorityFactory(neighbourhood=area), 91.001)

    assert is_overdue(priority, now=NOW)


def test_review_days_come_from_the_setting(area, settings):
    settings.PRIORITY_REVIEW_DAYS = 30
    priority = last_updated(PriorityFactory(neighbourhood=area), 31)

    assert is_overdue(priority, now=NOW)


def test_review_date_today_is_not_overdue_but_yesterday_is(area):
    today = PriorityFactory(neighbourhood=area, review_date=TODAY)
    yesterday = PriorityFactory(neighbourhood=area, review_date=TODAY - datetime.timedelta(1))

    assert not is_overdue(today, now=NOW)
    assert is_overdue(yesterday, now=NOW)


def test_resolved_priority_is_never_overdue(area):
    priority = last_updated(
        PriorityFactory(
            neighbourhood=area,
            status=Priority.Status.RESOLVED,
            review_date=TODAY - datetime.timedelta(days=200),
        ),
        400,
    )

    assert not is_overdue(priority, now=NOW)


def test_overdue_count_agrees_with_the_rule_in_sql(area, officer):
    last_updated(PriorityFactory(neighbourhood=area), 91)
    last_updated(PriorityFactory(neighbourhood=area), 92)
    PriorityFactory(neighbourhood=area, review_date=TODAY - datetime.timedelta(days=1))
    PriorityFactory(neighbourhood=area, review_date=TODAY)
    last_updated(PriorityFactory(neighbourhood=area, status=Priority.Status.RESOLVED), 300)
    last_updated(PriorityFactory(neighbourhood=NeighbourhoodFactory()), 300)

    assert overdue_priority_count(user=officer, now=NOW) == 2


# --- Creating -----------------------------------------------------------------------------------


def test_officer_adds_a_priority_to_their_neighbourhood(area, officer):
    priority = priority_create(user=officer, neighbourhood=area, data=data(), now=NOW)

    priority.refresh_from_db()
    assert priority.issue == "Speeding on Osmaston Road"
    assert priority.status == Priority.Status.OPEN
    assert priority.updated_by == officer
    assert priority.history.latest().history_user == officer


def test_text_is_kept_as_plain_text_with_one_kind_of_line_break(area, officer):
    priority = priority_create(
        user=officer,
        neighbourhood=area,
        data=data(issue="  <b>Bins</b> set alight\r\nnightly  ", action="Patrols\r\nat dusk"),
        now=NOW,
    )

    assert priority.issue == "<b>Bins</b> set alight\nnightly"
    assert priority.action == "Patrols\nat dusk"


def test_an_action_is_dated_today_when_no_date_is_given(area, officer):
    priority = priority_create(
        user=officer, neighbourhood=area, data=data(action="Speed watch sessions"), now=NOW
    )

    assert priority.action_date == TODAY


def test_a_priority_added_as_resolved_is_resolved_today(area, officer):
    priority = priority_create(
        user=officer,
        neighbourhood=area,
        data=data(status=Priority.Status.RESOLVED, action="Speed bumps installed"),
        now=NOW,
    )

    assert priority.action_date == TODAY
    assert priority.review_date is None


def test_officer_of_another_neighbourhood_is_refused(officer):
    elsewhere = NeighbourhoodFactory()

    with pytest.raises(PermissionDenied):
        priority_create(user=officer, neighbourhood=elsewhere, data=data(), now=NOW)

    assert not Priority.objects.exists()


def test_officer_whose_assignment_ended_is_refused(area, make_account):
    user = make_account(Role.OFFICER, username="left")
    AssignmentFactory(
        officer=OfficerFactory(user=user),
        neighbourhood=area,
        role=Assignment.Role.TEAM_MEMBER,
        end_date=TODAY - datetime.timedelta(days=1),
        start_date=TODAY - datetime.timedelta(days=100),
    )

    with pytest.raises(PermissionDenied):
        priority_create(user=user, neighbourhood=area, data=data(), now=NOW)


def test_opcc_user_is_refused(area, opcc_account):
    with pytest.raises(PermissionDenied):
        priority_create(user=opcc_account, neighbourhood=area, data=data(), now=NOW)


def test_a_priority_raised_at_a_meeting_is_refused_to_an_officer_of_another_neighbourhood(
    officer,
):
    elsewhere = NeighbourhoodFactory()

    with pytest.raises(PermissionDenied):
        priority_raise_from_meeting(
            user=officer, neighbourhood_id=elsewhere.pk, issue="Litter", raised_on=TODAY
        )

    assert not Priority.objects.exists()


def test_a_priority_raised_at_a_meeting_is_open_and_dated_the_day_of_the_meeting(area, officer):
    priority = priority_raise_from_meeting(
        user=officer, neighbourhood_id=area.pk, issue="Litter", raised_on=TODAY
    )

    assert (priority.status, priority.issue_date) == (Priority.Status.OPEN, TODAY)


def test_sergeant_of_the_neighbourhood_may_add(area, supervisor_account):
    AssignmentFactory(
        officer=OfficerFactory(user=supervisor_account),
        neighbourhood=area,
        role=Assignment.Role.SERGEANT,
    )

    priority_create(user=supervisor_account, neighbourhood=area, data=data(), now=NOW)

    assert Priority.objects.count() == 1


def test_administrator_may_add_to_any_neighbourhood(area, administrator_account):
    priority_create(user=administrator_account, neighbourhood=area, data=data(), now=NOW)

    assert Priority.objects.count() == 1


def test_an_empty_issue_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(user=officer, neighbourhood=area, data=data(issue="  \n "), now=NOW)

    assert errors_of(exc) == {"issue": ["Enter the issue"]}


def test_an_issue_over_5000_characters_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(user=officer, neighbourhood=area, data=data(issue="x" * 5001), now=NOW)

    assert errors_of(exc) == {"issue": ["Write 5,000 characters or fewer"]}


def test_an_unknown_status_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(user=officer, neighbourhood=area, data=data(status="closed"), now=NOW)

    assert errors_of(exc) == {"status": ["Choose open, in progress or resolved"]}


def test_resolving_without_saying_what_was_done_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(
            user=officer,
            neighbourhood=area,
            data=data(status=Priority.Status.RESOLVED, action=" "),
            now=NOW,
        )

    assert errors_of(exc) == {"action": ["Enter what was done, to mark the priority resolved"]}


def test_a_missing_issue_date_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(user=officer, neighbourhood=area, data=data(issue_date=None), now=NOW)

    assert errors_of(exc) == {"issue_date": ["Enter the date the issue was raised"]}


def test_an_issue_date_in_the_future_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(
            user=officer,
            neighbourhood=area,
            data=data(issue_date=TODAY + datetime.timedelta(days=1)),
            now=NOW,
        )

    assert errors_of(exc) == {
        "issue_date": ["The date the issue was raised must be today or in the past"]
    }


def test_an_action_date_before_the_issue_date_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(
            user=officer,
            neighbourhood=area,
            data=data(action="Patrols", action_date=TODAY - datetime.timedelta(days=10)),
            now=NOW,
        )

    assert errors_of(exc) == {
        "action_date": ["The action date must be on or after the date the issue was raised"]
    }


def test_an_action_date_in_the_future_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(
            user=officer,
            neighbourhood=area,
            data=data(action="Patrols", action_date=TODAY + datetime.timedelta(days=1)),
            now=NOW,
        )

    assert errors_of(exc) == {"action_date": ["The action date must be today or in the past"]}


def test_a_review_date_in_the_past_is_refused(area, officer):
    with pytest.raises(ValidationError) as exc:
        priority_create(
            user=officer,
            neighbourhood=area,
            data=data(review_date=TODAY - datetime.timedelta(days=1)),
            now=NOW,
        )

    assert errors_of(exc) == {"review_date": ["The review date must be today or in the future"]}


# --- Updating -----------------------------------------------------------------------------------


def test_updating_an_overdue_priority_makes_it_current_again(area, officer):
    priority = last_updated(PriorityFactory(neighbourhood=area), 120)

    priority_update(
        user=officer,
        priority=priority,
        data=data(issue=priority.issue, issue_date=priority.issue_date, action="New patrols"),
        now=NOW,
    )

    priority.refresh_from_db()
    assert not is_overdue(priority, now=NOW)
    assert priority.updated_by == officer
    assert priority.action_date == TODAY


def test_resolving_records_what_was_done_and_when(area, officer):
    priority = PriorityFactory(neighbourhood=area, issue_date=TODAY - datetime.timedelta(days=40))

    priority_update(
        user=officer,
        priority=priority,
        data=data(
            issue=priority.issue,
            issue_date=priority.issue_date,
            status=Priority.Status.RESOLVED,
            action="Two arrests; the dealing has stopped.",
        ),
        now=NOW,
    )

    priority.refresh_from_db()
    assert priority.status == Priority.Status.RESOLVED
    assert priority.action == "Two arrests; the dealing has stopped."
    assert priority.action_date == TODAY
    assert [h.status for h in priority.history.order_by("history_date")][-1] == "resolved"


def test_editing_a_resolved_priority_keeps_the_day_it_was_resolved(area, officer):
    resolved_on = TODAY - datetime.timedelta(days=20)
    priority = PriorityFactory(
        neighbourhood=area,
        status=Priority.Status.RESOLVED,
        action="Fixed",
        issue_date=TODAY - datetime.timedelta(days=60),
        action_date=resolved_on,
    )

    priority_update(
        user=officer,
        priority=priority,
        data=data(
            issue="Typo corrected",
            issue_date=priority.issue_date,
            status=Priority.Status.RESOLVED,
            action="Fixed",
        ),
        now=NOW,
    )

    priority.refresh_from_db()
    assert priority.action_date == resolved_on


def test_keeping_a_review_date_that_has_passed_is_refused(area, officer):
    priority = PriorityFactory(
        neighbourhood=area,
        issue_date=TODAY - datetime.timedelta(days=60),
        review_date=TODAY - datetime.timedelta(days=2),
    )

    with pytest.raises(ValidationError) as exc:
        priority_update(
            user=officer,
            priority=priority,
            data=data(
                issue=priority.issue,
                issue_date=priority.issue_date,
                review_date=priority.review_date,
            ),
            now=NOW,
        )

    assert errors_of(exc) == {
        "review_date": ["This review date has passed: set a new one, or leave it empty"]
    }


def test_updating_another_neighbourhood_s_priority_is_refused(officer):
    priority = PriorityFactory(issue="Not yours")

    with pytest.raises(PermissionDenied):
        priority_update(user=officer, priority=priority, data=data(issue="Changed"), now=NOW)

    priority.refresh_from_db()
    assert priority.issue == "Not yours"


def test_a_refused_update_changes_nothing(area, officer):
    priority = last_updated(PriorityFactory(neighbourhood=area, issue="Before"), 120)

    with pytest.raises(ValidationError):
        priority_update(
            user=officer,
            priority=priority,
            data=data(issue="After", status=Priority.Status.RESOLVED, action=""),
            now=NOW,
        )

    priority.refresh_from_db()
    assert priority.issue == "Before"
    assert is_overdue(priority, now=NOW)


# --- The weekly email ---------------------------------------------------------------------------


def overdue_emails() -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(subject__contains="reviewing").order_by("pk"))


def test_officers_get_one_email_per_neighbourhood_listing_its_overdue_priorities(area, officer):
    team = OfficerFactory(email="sam@example.police.uk")
    AssignmentFactory(officer=team, neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)
    # The same person twice, in another case: one address.
    AssignmentFactory(
        officer=OfficerFactory(email="PRIYA@example.police.uk"),
        neighbourhood=area,
        role=Assignment.Role.SERGEANT,
    )
    first = last_updated(PriorityFactory(neighbourhood=area, issue="Speeding"), 100)
    second = PriorityFactory(
        neighbourhood=area, issue="Graffiti", review_date=TODAY - datetime.timedelta(days=3)
    )
    PriorityFactory(neighbourhood=area, issue="Fresh and fine")

    written = overdue_priorities_notify(now=NOW)

    assert written == 1
    [email] = overdue_emails()
    assert email.to == ["priya@example.police.uk", "sam@example.police.uk"]
    assert email.subject == "Normanton: 2 local priorities need reviewing"
    assert "Speeding" in email.body_text and "Graffiti" in email.body_text
    assert "Fresh and fine" not in email.body_text
    assert f"/staff/priorities/{first.pk}/edit/" in email.body_text
    assert f"/staff/priorities/{second.pk}/edit/" in email.body_html


def test_each_neighbourhood_with_overdue_priorities_gets_its_own_email(area, officer):
    other = NeighbourhoodFactory(name="Alvaston")
    AssignmentFactory(
        officer=OfficerFactory(email="alex@example.police.uk"),
        neighbourhood=other,
        role=Assignment.Role.NAMED_OFFICER,
    )
    last_updated(PriorityFactory(neighbourhood=area), 100)
    last_updated(PriorityFactory(neighbourhood=other), 100)
    PriorityFactory(neighbourhood=NeighbourhoodFactory(name="Fine"))

    assert overdue_priorities_notify(now=NOW) == 2

    assert sorted(e.to[0] for e in overdue_emails()) == [
        "alex@example.police.uk",
        "priya@example.police.uk",
    ]


def test_running_again_the_same_week_writes_nothing_more(area, officer):
    last_updated(PriorityFactory(neighbourhood=area), 100)
    overdue_priorities_notify(now=NOW)

    again = overdue_priorities_notify(now=NOW + datetime.timedelta(days=2))

    assert again == 0
    assert len(overdue_emails()) == 1


def test_the_next_week_a_still_overdue_priority_is_emailed_again(area, officer):
    last_updated(PriorityFactory(neighbourhood=area), 100)
    overdue_priorities_notify(now=NOW)

    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        again = overdue_priorities_notify()

    assert again == 1
    assert len(overdue_emails()) == 2


def test_no_overdue_priorities_no_email(area, officer):
    PriorityFactory(neighbourhood=area)
    last_updated(PriorityFactory(neighbourhood=area, status=Priority.Status.RESOLVED), 300)

    assert overdue_priorities_notify(now=NOW) == 0
    assert overdue_emails() == []


def test_neighbourhood_without_current_officers_is_skipped(area):
    last_updated(PriorityFactory(neighbourhood=area), 100)

    assert overdue_priorities_notify(now=NOW) == 0
    assert overdue_emails() == []


def test_the_task_writes_the_emails(area, officer):
    from engagement.tasks import notify_overdue_priorities

    last_updated(PriorityFactory(neighbourhood=area), 100)

    assert notify_overdue_priorities.apply().get() == 1
    assert len(overdue_emails()) == 1


def test_the_task_is_in_the_weekly_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notify-overdue-priorities"]

    assert entry["task"] == "engagement.tasks.notify_overdue_priorities"
    assert entry["schedule"].day_of_week == {1}
