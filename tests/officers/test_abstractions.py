"""Officers log abstractions; overlapping entries are refused; corrections keep history; while
abstracted, new queries go to the team and sergeant."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.dates import LONDON
from config.roles import Role
from dashboards.selectors.abstractions import abstraction_report
from officers.abstractions import (
    abstraction_correct,
    abstraction_end,
    abstraction_log,
    officers_loggable_by,
)
from officers.models import Abstraction, Assignment
from officers.scopes import Scope
from queries.services.resident import (
    NAMED_OFFICER_AWAY,
    ROUTED_TO_NAMED_OFFICER,
    query_route,
)
from tests.factories import AssignmentFactory, OfficerFactory
from tests.fixtures.clock import london

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
COURT = Abstraction.Reason.COURT
COVER = Abstraction.Reason.RESPONSE_COVER
FORCE = Scope(key="force", label="Force", neighbourhood_ids=None)


def log(by, officer, starts_at, ends_at=None, reason=COVER, note=""):
    return abstraction_log(
        by=by, officer=officer, reason=reason, starts_at=starts_at, ends_at=ends_at, note=note
    )


def test_an_officer_logs_their_own_abstraction(priya, officer_account):
    starts = timezone.now() - HOUR

    entry = log(officer_account, priya, starts, note=" Stadium ")

    assert entry.ends_at is None
    assert entry.note == "Stadium"
    assert entry.logged_by == officer_account
    assert entry.history.get().history_user == officer_account


def test_an_overlapping_entry_is_refused_naming_the_one_it_overlaps(priya, officer_account):
    log(officer_account, priya, london(2026, 3, 3, 9), london(2026, 3, 3, 17), reason=COURT)

    with pytest.raises(ValidationError) as error:
        log(officer_account, priya, london(2026, 3, 3, 16), london(2026, 3, 3, 20))

    assert error.value.message_dict["starts_at"] == [
        "This overlaps your court abstraction from Tuesday 3 March 2026 at 9am to 5pm"
    ]


def test_an_entry_inside_an_open_one_is_refused(priya, officer_account):
    log(officer_account, priya, timezone.now() - 5 * HOUR)

    with pytest.raises(ValidationError, match="still away"):
        log(officer_account, priya, timezone.now() - HOUR, timezone.now())


def test_entries_that_touch_end_to_start_are_both_kept(priya, officer_account):
    log(officer_account, priya, london(2026, 3, 3, 9), london(2026, 3, 3, 12))
    log(officer_account, priya, london(2026, 3, 3, 12), london(2026, 3, 3, 14))

    assert priya.abstractions.count() == 2


def test_the_database_refuses_overlapping_entries_written_past_the_service(priya):
    Abstraction.objects.create(officer=priya, reason=COURT, starts_at=london(2026, 3, 3, 9))

    with pytest.raises(IntegrityError), transaction.atomic():
        Abstraction.objects.create(
            officer=priya,
            reason=COVER,
            starts_at=london(2027, 1, 1, 9),
            ends_at=london(2027, 1, 1, 10),
        )


def test_an_end_before_the_start_is_refused(priya, officer_account):
    with pytest.raises(ValidationError, match="The end must be after the start"):
        log(officer_account, priya, london(2026, 3, 3, 9), london(2026, 3, 3, 8))


def test_an_end_given_is_kept_and_the_report_counts_those_hours_not_up_to_now(
    priya, officer_account
):
    # The service has one end, `ends_at` (None: still away), so "still away until 4pm" cannot
    # be said to it: an end given is the end kept.
    now = timezone.now()
    starts = now - datetime.timedelta(days=3)

    entry = log(officer_account, priya, starts, starts + 7 * HOUR)
    corrected = abstraction_correct(
        by=officer_account,
        abstraction=entry,
        reason=COURT,
        starts_at=starts,
        ends_at=starts + 7 * HOUR,
    )

    assert corrected.ends_at == starts + 7 * HOUR
    assert not priya.is_abstracted()
    report = abstraction_report(scope=FORCE, weeks=12, now=now)
    assert report.total == 7.0


def test_a_sergeant_logs_for_an_officer_of_their_team(priya, sergeant, supervisor_account):
    entry = log(supervisor_account, priya, timezone.now() - HOUR)

    assert entry.officer == priya
    assert entry.logged_by == supervisor_account


def test_a_sergeant_may_log_for_their_team_and_themselves(priya, sergeant, supervisor_account):
    OfficerFactory()  # someone else's officer

    assert set(officers_loggable_by(supervisor_account)) == {priya, sergeant}


@pytest.mark.parametrize("who", ["another_officer", "opcc", "no_role", "anonymous", "sergeant"])
def test_others_may_not_log_for_an_officer(who, priya, make_account):
    match who:
        case "another_officer":
            user = make_account(Role.OFFICER)
            OfficerFactory(user=user)
        case "opcc":
            user = make_account(Role.OPCC)
        case "no_role":
            user = make_account()
        case "anonymous":
            user = AnonymousUser()
        case "sergeant":  # of another neighbourhood
            user = make_account(Role.OFFICER, Role.SUPERVISOR)
            AssignmentFactory(officer=OfficerFactory(user=user), role=Assignment.Role.SERGEANT)

    with pytest.raises(PermissionDenied):
        log(user, priya, timezone.now() - HOUR)
    assert not officers_loggable_by(user).filter(pk=priya.pk).exists()


def test_an_administrator_logs_for_anyone(priya, administrator_account):
    assert log(administrator_account, priya, timezone.now() - HOUR).officer == priya


def test_im_back_ends_the_open_entry_now(priya, officer_account):
    entry = log(officer_account, priya, timezone.now() - HOUR)

    abstraction_end(by=officer_account, abstraction=entry)

    entry.refresh_from_db()
    assert timezone.now() - entry.ends_at < datetime.timedelta(seconds=5)
    assert not priya.is_abstracted()


def test_an_ended_entry_cannot_end_again(priya, officer_account):
    entry = log(officer_account, priya, timezone.now() - 2 * HOUR, timezone.now() - HOUR)

    with pytest.raises(ValidationError, match="already ended"):
        abstraction_end(by=officer_account, abstraction=entry)


def test_a_correction_keeps_the_version_before(
    priya, officer_account, supervisor_account, sergeant
):
    entry = log(officer_account, priya, london(2026, 3, 3, 9), london(2026, 3, 3, 17))

    abstraction_correct(
        by=supervisor_account,
        abstraction=entry,
        reason=COURT,
        starts_at=london(2026, 3, 3, 10),
        ends_at=london(2026, 3, 3, 16),
        note="Crown Court",
    )

    versions = list(entry.history.order_by("history_date"))
    assert [v.reason for v in versions] == [COVER, COURT]
    assert versions[0].starts_at == london(2026, 3, 3, 9)
    assert versions[1].history_user == supervisor_account


def test_a_correction_does_not_clash_with_itself(priya, officer_account):
    entry = log(officer_account, priya, london(2026, 3, 3, 9), london(2026, 3, 3, 17))

    abstraction_correct(
        by=officer_account,
        abstraction=entry,
        reason=COVER,
        starts_at=london(2026, 3, 3, 8),
        ends_at=None,
    )

    entry.refresh_from_db()
    assert entry.ends_at is None


# --- Routing ---------------------------------------------------------------------------------


def test_a_new_query_goes_to_the_team_while_the_named_officer_is_abstracted(
    priya, officer_account, area
):
    log(officer_account, priya, timezone.now() - HOUR)

    officer, reason = query_route(neighbourhood=area, now=timezone.now())

    assert officer is None
    assert reason == NAMED_OFFICER_AWAY


def test_a_new_query_goes_to_the_named_officer_once_they_are_back(priya, officer_account, area):
    entry = log(officer_account, priya, timezone.now() - HOUR)
    abstraction_end(by=officer_account, abstraction=entry)

    assert query_route(neighbourhood=area, now=timezone.now()) == (priya, ROUTED_TO_NAMED_OFFICER)


def test_an_abstraction_that_has_ended_does_not_make_them_away(priya, officer_account, area):
    log(officer_account, priya, timezone.now() - 3 * HOUR, timezone.now() - HOUR)

    assert query_route(neighbourhood=area, now=timezone.now())[0] == priya


def test_routing_asks_about_abstractions_in_one_more_statement(
    priya, officer_account, area, django_assert_num_queries
):
    log(officer_account, priya, timezone.now() - 3 * HOUR, timezone.now() - HOUR)

    with django_assert_num_queries(2):
        routed = query_route(neighbourhood=area, now=timezone.now())

    assert routed[0] == priya


def test_marked_away_still_works_without_an_abstraction(priya, area):
    priya.away_until = timezone.localdate()
    priya.save(update_fields=["away_until"])

    assert priya.is_away(timezone.localdate())


def test_an_abstraction_on_another_day_makes_them_away_that_day(priya, officer_account):
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON)
    log(officer_account, priya, starts, starts + 8 * HOUR)

    assert priya.is_away(day)
    assert not priya.is_away(day + datetime.timedelta(days=1))
