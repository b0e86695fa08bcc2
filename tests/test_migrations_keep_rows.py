"""Migrating keeps every row: a database built at today's schema, with rows in every table of
the portal's apps, migrates forward to the latest migrations with the same tables, row counts
and contents, and back to today's schema with exactly what it held.

The move of models between apps (same db_table, state-only SeparateDatabaseAndState moves):
OLD_LEAVES is the schema before it (the rows are written for it), NEW_APPS the apps that exist
only after it, and CHANGED_COLUMNS the columns a move may take out of a table (ignored forward,
but they must come back when migrating back). The outbox's query column stays for a release, so
none is listed; its pairs must also be found in the queries app's link table.
The rows are written through the historical models of the migration state, never the project's
own models, so the test keeps working whatever the models become.
"""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import SeparateDatabaseAndState
from django.db.models.fields.files import FieldFile

PORTAL_APPS = ["neighbourhoods", "officers", "meetings", "queries"]

# The leaf migration of each portal app before the move: the schema the rows are written for.
OLD_LEAVES = [
    ("neighbourhoods", "0006_alerts"),
    ("officers", "0006_abstractions"),
    ("meetings", "0002_events_series_registrations_outcomes"),
    ("queries", "0006_resident_escalated_index"),
]
# Apps that exist only after the move: migrating back takes them to zero.
NEW_APPS: list[str] = ["notifications", "engagement", "alerts"]
# {table: {column, ...}}: columns the move may take out of a table (e.g. into a link table).
CHANGED_COLUMNS: dict[str, set[str]] = {}
# Models that moved app: their content types (and so permissions on them and the admin's
# history) move with them. (model, old app label, new app label)
MOVED_CONTENT_TYPES = [
    ("outboxemail", "queries", "notifications"),
    ("priority", "neighbourhoods", "engagement"),
    ("historicalpriority", "neighbourhoods", "engagement"),
    ("prioritysupport", "neighbourhoods", "engagement"),
    ("survey", "neighbourhoods", "engagement"),
    ("historicalsurvey", "neighbourhoods", "engagement"),
    ("surveyoption", "neighbourhoods", "engagement"),
    ("surveyresponse", "neighbourhoods", "engagement"),
    ("subscriber", "neighbourhoods", "alerts"),
    ("alertchange", "neighbourhoods", "alerts"),
    ("alertdelivery", "neighbourhoods", "alerts"),
]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MAX_REPORTED = 40


class Table(NamedTuple):
    columns: frozenset[str]
    rows: dict[tuple, dict]


def _old_targets() -> list[tuple[str, str | None]]:
    return [*OLD_LEAVES, *((app, None) for app in NEW_APPS)]


def _migrate(executor: MigrationExecutor, targets) -> None:
    executor.migrate(targets)
    executor.loader.build_graph()


def _cannot_reverse(operation) -> bool:
    if isinstance(operation, SeparateDatabaseAndState):
        return any(_cannot_reverse(op) for op in operation.database_operations)
    return not operation.reversible


def _irreversible(executor: MigrationExecutor, targets) -> list[str]:
    return [
        f"{migration.app_label}.{migration.name}"
        for migration, backwards in executor.migration_plan(targets)
        if backwards and any(_cannot_reverse(op) for op in migration.operations)
    ]


def _tables(state_apps, labels: list[str]) -> set[str]:
    """The tables of these apps: their models' (and many-to-many through) tables in the state,
    and any table in the database named after one of them."""
    tables = {
        model._meta.db_table
        for model in state_apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels and model._meta.managed and not model._meta.proxy
    }
    prefixes = tuple(f"{label}_" for label in labels)
    return tables | {t for t in connection.introspection.table_names() if t.startswith(prefixes)}


def _snapshot(tables: set[str]) -> dict[str, Table]:
    """Every row of each existing table, read with raw SQL, keyed by primary key."""
    introspection = connection.introspection
    quote = connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        existing = set(introspection.table_names(cursor))
        for table in sorted(tables & existing):
            description = introspection.get_table_description(cursor, table)
            columns = [column.name for column in description]
            json_columns = [
                column.name
                for column in description
                if introspection.get_field_type(column.type_code, column) == "JSONField"
            ]
            key = introspection.get_primary_key_columns(cursor, table)
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} "
                f"ORDER BY {', '.join(map(quote, key or columns))}"
            )
            rows = {}
            for position, values in enumerate(cursor.fetchall()):
                row = dict(zip(columns, values, strict=True))
                for column in json_columns:
                    if isinstance(row[column], str):
                        row[column] = json.loads(row[column])
                rows[tuple(row[c] for c in key) if key else ("row", position)] = row
            snapshot[table] = Table(frozenset(columns), rows)
    return snapshot


def _pk(key: tuple) -> str:
    return repr(key[0]) if len(key) == 1 else repr(key)


def _differences(
    before: dict[str, Table], after: dict[str, Table], *, when: str, ignored: dict, exact: bool
) -> list[str]:
    """What changed between two snapshots, one line per table, row or value. Forward (not
    exact) ignores the `ignored` columns and tables or columns only `after` has."""
    problems = []
    for table, old in before.items():
        new = after.get(table)
        if new is None:
            problems.append(f"{table}: table missing {when} (it had {len(old.rows)} rows)")
            continue
        skip = set() if exact else set(ignored.get(table, ()))
        gone = old.columns - new.columns - skip
        problems += [f"{table}: column {c!r} missing {when}" for c in sorted(gone)]
        if exact:
            added = new.columns - old.columns
            problems += [f"{table}: column {c!r} not in today's schema" for c in sorted(added)]
        if len(old.rows) != len(new.rows):
            problems.append(f"{table}: {len(old.rows)} rows before, {len(new.rows)} {when}")
        for key, row in old.rows.items():
            other = new.rows.get(key)
            if other is None:
                problems.append(f"{table} pk {_pk(key)}: row missing {when}")
                continue
            for column, value in row.items():
                if column in skip or column in gone or other[column] == value:
                    continue
                problems.append(
                    f"{table} pk {_pk(key)} column {column!r}: {value!r} before, "
                    f"{other[column]!r} {when}"
                )
        problems += [
            f"{table} pk {_pk(key)}: row not there before, present {when}"
            for key in sorted(new.rows.keys() - old.rows.keys(), key=repr)
        ]
    if exact:
        problems += [
            f"{table}: table present {when}, not in today's schema"
            for table in sorted(after.keys() - before.keys())
        ]
    return problems


def _report(problems: list[str]) -> str:
    shown = problems[:MAX_REPORTED]
    more = len(problems) - len(shown)
    return "\n".join(shown + ([f"... and {more} more"] if more else []))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _history(apps, obj, *, user, at: datetime, kind: str = "+", reason: str | None = None):
    """A simple_history row for `obj`, with its values as they are now."""
    opts = obj._meta
    history = apps.get_model(opts.app_label, f"Historical{opts.object_name}")
    values = {}
    for field in history._meta.concrete_fields:
        if not field.name.startswith("history_"):
            value = getattr(obj, field.attname)
            values[field.attname] = value.name if isinstance(value, FieldFile) else value
    history.objects.create(
        history_date=at,
        history_type=kind,
        history_user=user,
        history_change_reason=reason,
        **values,
    )


def _seed(apps) -> None:
    """At least two rows in every table of the portal's apps, every foreign key filled somewhere,
    within every unique, check and exclusion constraint."""
    get = apps.get_model
    user = get("auth", "User")
    pc_user = user.objects.create(
        username="alys.hughes",
        email="alys.hughes@derbyshire.police.example",
        first_name="Alys",
        last_name="Hughes",
        password=make_password(None),
        is_staff=True,
    )
    sgt_user = user.objects.create(
        username="daniel.okafor",
        email="daniel.okafor@derbyshire.police.example",
        first_name="Daniel",
        last_name="Okafor",
        password=make_password(None),
        is_staff=True,
    )
    admin_user = user.objects.create(
        username="priya.patel",
        email="priya.patel@derbyshire.police.example",
        password=make_password(None),
        is_staff=True,
        is_superuser=True,
    )

    # neighbourhoods: forces, divisions, neighbourhoods, postcodes, priorities.
    force = get("neighbourhoods", "Force")
    derbyshire = force.objects.create(
        slug="derbyshire",
        name="Derbyshire Constabulary",
        url="https://www.derbyshire.police.example/",
        telephone="101",
        engagement_methods=[
            {"url": "https://x.example/derbyshirepolice", "title": "X", "description": ""}
        ],
    )
    leicestershire = force.objects.create(
        slug="leicestershire", name="Leicestershire Police", description="<p>East Midlands</p>"
    )
    division = get("neighbourhoods", "Division")
    amber_valley = division.objects.create(
        force=derbyshire, slug="amber-valley", name="Amber Valley"
    )
    charnwood = division.objects.create(force=leicestershire, slug="charnwood", name="Charnwood")

    neighbourhood = get("neighbourhoods", "Neighbourhood")
    belper = neighbourhood.objects.create(
        force=derbyshire,
        division=amber_valley,
        code="DC01",
        name="Belper",
        slug="belper",
        description="<p>Belper town and the Derwent valley.</p>",
        population=22000,
        boundary={
            "type": "Polygon",
            "coordinates": [[[-1.49, 53.02], [-1.47, 53.02], [-1.47, 53.03], [-1.49, 53.02]]],
        },
        centre_latitude=53.0241,
        centre_longitude=-1.4818,
        email="belper.snt@derbyshire.police.example",
        telephone="101",
        url_force="https://www.derbyshire.police.example/belper",
        social_links={"facebook": "https://www.facebook.com/belperpolice"},
        links=[{"url": "https://belper.example/", "title": "Town council", "description": ""}],
        locations=[
            {
                "name": "Belper police station",
                "type": "station",
                "address": "Derwent Street, Belper",
                "postcode": "DE56 1WA",
                "latitude": 53.0237,
                "longitude": -1.4801,
                "description": "",
                "telephone": "101",
            }
        ],
    )
    ripley = neighbourhood.objects.create(
        force=derbyshire, division=amber_valley, code="DC02", name="Ripley", slug="ripley"
    )
    loughborough = neighbourhood.objects.create(
        force=leicestershire,
        division=charnwood,
        code="NC11",
        name="Loughborough East",
        slug="loughborough-east",
        boundary=None,
    )
    _history(apps, belper, user=admin_user, at=T0)
    _history(apps, ripley, user=admin_user, at=T0)
    _history(apps, belper, user=sgt_user, at=T0 + timedelta(days=1), kind="~", reason="Import")

    postcode = get("neighbourhoods", "Postcode")
    postcode.objects.create(
        postcode="DE56 1AA", latitude=53.02, longitude=-1.48, neighbourhood=belper
    )
    postcode.objects.create(
        postcode="DE5 3BB", latitude=53.05, longitude=-1.40, neighbourhood=ripley
    )
    postcode.objects.create(
        postcode="LE11 1CC", latitude=52.77, longitude=-1.20, neighbourhood=None
    )

    priority = get("neighbourhoods", "Priority")
    speeding = priority.objects.create(
        neighbourhood=belper,
        issue="Speeding on Derby Road",
        action="Speed checks with the community speed watch group",
        status="in_progress",
        issue_date=date(2026, 1, 12),
        review_date=date(2026, 4, 12),
        updated_by=sgt_user,
    )
    gardens = priority.objects.create(
        neighbourhood=belper,
        issue="Anti-social behaviour in the Memorial Gardens",
        action="Dispersal order and evening patrols",
        status="resolved",
        issue_date=date(2025, 10, 3),
        action_date=date(2026, 1, 20),
        updated_by=pc_user,
    )
    parking = priority.objects.create(
        neighbourhood=ripley, issue="Parking outside the infant school", issue_date=date(2026, 2, 1)
    )
    for row in (speeding, gardens, parking):
        _history(apps, row, user=row.updated_by, at=T0)
    _history(apps, gardens, user=pc_user, at=T0 + timedelta(days=3), kind="~")

    support = get("neighbourhoods", "PrioritySupport")
    support.objects.create(
        priority=speeding,
        email_hash=_sha("jo@example.com"),
        confirm_token_hash=_sha("support-1"),
        confirmed_at=T0,
    )
    # The same resident again, unconfirmed: the once-per-email rule only counts confirmed ones.
    support.objects.create(
        priority=speeding, email_hash=_sha("jo@example.com"), confirm_token_hash=_sha("support-2")
    )
    support.objects.create(
        priority=parking,
        email_hash=_sha("sam@example.com"),
        confirm_token_hash=_sha("support-3"),
        confirmed_at=T0 + timedelta(hours=2),
    )

    survey = get("neighbourhoods", "Survey")
    belper_survey = survey.objects.create(
        neighbourhood=belper,
        description="Help us choose our next priority.",
        allow_free_text=True,
        opens_on=date(2026, 3, 1),
        closes_on=date(2026, 3, 31),
        created_by=sgt_user,
    )
    # Opening and closing on one day is the tightest the check allows.
    ripley_survey = survey.objects.create(
        neighbourhood=ripley,
        question="Which of these matters most on your street?",
        opens_on=date(2026, 3, 7),
        closes_on=date(2026, 3, 7),
        created_by=pc_user,
    )
    _history(apps, belper_survey, user=sgt_user, at=T0)
    _history(apps, ripley_survey, user=pc_user, at=T0)

    option = get("neighbourhoods", "SurveyOption")
    speeding_option = option.objects.create(survey=belper_survey, label="Speeding", position=0)
    parking_option = option.objects.create(survey=belper_survey, label="Parking", position=1)
    option.objects.create(survey=belper_survey, label="Burglary", position=2)
    tipping_option = option.objects.create(survey=ripley_survey, label="Fly-tipping", position=0)
    option.objects.create(survey=ripley_survey, label="Drug dealing", position=1)

    response = get("neighbourhoods", "SurveyResponse")
    response.objects.create(
        survey=belper_survey,
        option=speeding_option,
        free_text="Lorries on the A6 at night",
        moderation="approved",
        moderated_at=T0 + timedelta(days=1),
        moderated_by=sgt_user,
        email_hash=_sha("jo@example.com"),
        confirm_token_hash=_sha("response-1"),
        confirmed_at=T0,
    )
    response.objects.create(
        survey=belper_survey,
        option=parking_option,
        email_hash=_sha("jo@example.com"),
        confirm_token_hash=_sha("response-2"),
    )
    response.objects.create(
        survey=ripley_survey,
        option=tipping_option,
        email_hash=_sha("sam@example.com"),
        confirm_token_hash=_sha("response-3"),
        confirmed_at=T0 + timedelta(days=5),
    )

    # neighbourhoods: alerts.
    change = get("neighbourhoods", "AlertChange")
    event_change = change.objects.create(
        neighbourhood=belper,
        kind="event",
        key="event:belper-surgery-april:0",
        title="Beat surgery at Belper library",
        summary="Saturday 4 April, 10am to noon",
        path="/neighbourhoods/belper/meetings/",
        sent_at=T0 + timedelta(minutes=5),
    )
    priority_change = change.objects.create(
        neighbourhood=belper,
        kind="priority",
        key=f"priority:{speeding.pk}:2026-03-02",
        title="Speeding on Derby Road",
        path="/neighbourhoods/belper/priorities/",
    )
    change.objects.create(
        neighbourhood=ripley,
        kind="survey",
        key=f"survey:{ripley_survey.pk}",
        title="Which of these matters most on your street?",
        path="/neighbourhoods/ripley/surveys/",
    )

    subscriber = get("neighbourhoods", "Subscriber")
    jo = subscriber.objects.create(email="jo@example.com", confirmed_at=T0 - timedelta(days=30))
    jo.neighbourhoods.add(belper, ripley)
    sam = subscriber.objects.create(
        email="sam@example.com",
        frequency="daily",
        surveys=False,
        pending_choices={
            "neighbourhoods": [loughborough.pk, ripley.pk],
            "events": True,
            "priorities": False,
            "surveys": True,
            "frequency": "daily",
        },
        confirm_token_hash=_sha("subscriber-2"),
        confirm_sent_at=T0,
        confirmed_at=T0 - timedelta(days=3),
        digest_covered_until=T0 - timedelta(days=1),
    )
    sam.neighbourhoods.add(loughborough)
    gone = subscriber.objects.create(
        email="alex@example.com",
        events=False,
        confirmed_at=T0 - timedelta(days=90),
        unsubscribed_at=T0 - timedelta(days=10),
    )
    gone.neighbourhoods.add(belper)

    delivery = get("neighbourhoods", "AlertDelivery")
    delivery.objects.create(subscriber=jo, change=event_change)
    delivery.objects.create(subscriber=jo, change=priority_change)
    delivery.objects.create(subscriber=sam, change=event_change)

    # officers: officers, their assignments and abstractions.
    officer = get("officers", "Officer")
    hughes = officer.objects.create(
        user=pc_user,
        display_name="Alys Hughes",
        rank="PC",
        collar_number="2291",
        photo="officers/photos/hughes.jpg",
        bio="Belper's named officer since 2024.",
        email="alys.hughes@derbyshire.police.example",
        phone="101",
        responsibilities="Town centre, schools",
        languages=["English", "Welsh"],
        away_until=date(2026, 3, 6),
    )
    okafor = officer.objects.create(
        user=sgt_user, display_name="Daniel Okafor", rank="Sgt", collar_number="1450"
    )
    chen = officer.objects.create(display_name="Mei Chen", rank="PCSO", languages=["Mandarin"])
    for row in (hughes, okafor, chen):
        _history(apps, row, user=admin_user, at=T0)
    _history(apps, hughes, user=sgt_user, at=T0 + timedelta(hours=1), kind="~")

    assignment = get("officers", "Assignment")
    assignments = [
        # Two named officers of Belper, one after the other: no shared day, so no overlap.
        assignment.objects.create(
            officer=hughes,
            neighbourhood=belper,
            role="named",
            start_date=date(2024, 1, 8),
            end_date=date(2025, 3, 30),
        ),
        assignment.objects.create(
            officer=chen, neighbourhood=belper, role="named", start_date=date(2025, 3, 31)
        ),
        assignment.objects.create(
            officer=okafor, neighbourhood=belper, role="sergeant", start_date=date(2024, 1, 8)
        ),
        assignment.objects.create(
            officer=hughes, neighbourhood=ripley, role="named", start_date=date(2025, 3, 31)
        ),
        assignment.objects.create(
            officer=chen, neighbourhood=ripley, role="team", start_date=date(2025, 3, 31)
        ),
    ]
    for row in assignments:
        _history(apps, row, user=admin_user, at=T0)

    abstraction = get("officers", "Abstraction")
    abstractions = [
        abstraction.objects.create(
            officer=hughes,
            reason="training",
            starts_at=T0 + timedelta(days=8),
            ends_at=T0 + timedelta(days=8, hours=8),
            note="Public order refresher",
            logged_by=sgt_user,
        ),
        # Starts as the training ends: half-open ranges, so not an overlap; still away.
        abstraction.objects.create(
            officer=hughes,
            reason="court",
            starts_at=T0 + timedelta(days=8, hours=8),
            logged_by=sgt_user,
        ),
        abstraction.objects.create(
            officer=okafor,
            reason="public_order",
            starts_at=T0 + timedelta(days=12),
            ends_at=T0 + timedelta(days=12, hours=12),
            logged_by=admin_user,
        ),
    ]
    for row in abstractions:
        _history(apps, row, user=row.logged_by, at=T0)

    # meetings: series, events, registrations and outcomes.
    series = get("meetings", "Series")
    surgeries = series.objects.create(
        neighbourhood=belper,
        organiser=hughes,
        event_type="beat_surgery",
        title="Belper beat surgery",
        venue_name="Belper library",
        address="Bridge Street, Belper",
        postcode="DE56 1AX",
        step_free_access=True,
        hearing_loop=True,
        accessibility_notes="Lift to the first floor",
        capacity=30,
        rrule="FREQ=MONTHLY;BYDAY=1SA",
        first_starts_at=datetime(2026, 3, 7, 10, 0, tzinfo=UTC),
        duration=timedelta(hours=2),
        materialised_until=datetime(2026, 6, 30, tzinfo=UTC),
    )
    briefings = series.objects.create(
        neighbourhood=ripley,
        organiser=chen,
        event_type="online_meeting",
        title="Ripley online briefing",
        online_url="https://meet.example/ripley",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        first_starts_at=datetime(2026, 1, 7, 18, 0, tzinfo=UTC),
        duration=timedelta(minutes=45),
        ended_at=datetime(2026, 2, 25, tzinfo=UTC),
    )
    _history(apps, surgeries, user=pc_user, at=T0)
    _history(apps, briefings, user=pc_user, at=T0)

    event = get("meetings", "Event")
    march = event.objects.create(
        neighbourhood=belper,
        organiser=hughes,
        series=surgeries,
        series_starts_at=surgeries.first_starts_at,
        event_type="beat_surgery",
        title="Belper beat surgery",
        venue_name="Belper library",
        step_free_access=True,
        capacity=30,
        starts_at=datetime(2026, 3, 7, 10, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 7, 12, 0, tzinfo=UTC),
        status="held",
    )
    april = event.objects.create(
        neighbourhood=belper,
        organiser=hughes,
        series=surgeries,
        series_starts_at=datetime(2026, 4, 4, 10, 0, tzinfo=UTC),
        event_type="beat_surgery",
        title="Belper beat surgery",
        starts_at=datetime(2026, 4, 4, 10, 0, tzinfo=UTC),
        ends_at=datetime(2026, 4, 4, 12, 0, tzinfo=UTC),
        sequence=1,
    )
    fun_day = event.objects.create(
        neighbourhood=ripley,
        organiser=okafor,
        event_type="community_event",
        title="Ripley market day stall",
        address="Market Place, Ripley",
        postcode="DE5 3BR",
        parking=True,
        starts_at=datetime(2026, 2, 14, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 2, 14, 15, 0, tzinfo=UTC),
        status="held",
    )
    event.objects.create(
        neighbourhood=loughborough,
        event_type="street_briefing",
        title="Street briefing, Ashby Road",
        starts_at=datetime(2026, 3, 12, 17, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 12, 17, 30, tzinfo=UTC),
        status="cancelled",
        cancelled_reason="Officers called to an emergency",
    )
    for row in (march, april, fun_day):
        _history(apps, row, user=pc_user, at=T0)

    registration = get("meetings", "Registration")
    registration.objects.create(
        event=march,
        name="Jo Bloggs",
        email="jo@example.com",
        cancel_token_hash=_sha("registration-1"),
        attended=True,
    )
    # Cancelled and booked again: the once-per-email rule only counts live bookings.
    registration.objects.create(
        event=april,
        name="Sam Smith",
        email="sam@example.com",
        accessibility_needs="Wheelchair user",
        cancel_token_hash=_sha("registration-2"),
        cancelled_at=T0,
    )
    registration.objects.create(
        event=april,
        name="Sam Smith",
        email="sam@example.com",
        cancel_token_hash=_sha("registration-3"),
        reminder_sent_at=T0 + timedelta(days=30),
    )

    outcome = get("meetings", "Outcome")
    march_outcome = outcome.objects.create(
        event=march,
        attendance=14,
        summary="Residents raised speeding and parking.",
        issues_raised="Speeding on Derby Road\nParking on Bridge Street",
        recorded_by=hughes,
    )
    march_outcome.priorities.add(speeding, gardens)
    fun_day_outcome = outcome.objects.create(
        event=fun_day, attendance=60, summary="Bike marking for 25 bikes.", recorded_by=okafor
    )
    fun_day_outcome.priorities.add(parking)
    _history(apps, march_outcome, user=pc_user, at=T0)
    _history(apps, fun_day_outcome, user=sgt_user, at=T0)

    # queries: queries, their timelines, clocks and escalations, and the outbox.
    query = get("queries", "Query")
    answered = query.objects.create(
        reference="DY-7K3P-Q9X",
        token_hash=_sha("query-1"),
        neighbourhood=belper,
        topic="asb",
        message="Youths on the bandstand every night.",
        name="Jo Bloggs",
        email="jo@example.com",
        contact_preference="email",
        consented_at=T0,
        status="answered",
        routing_reason="Named officer",
        submitted_at=T0,
        clock_started_at=T0,
        due_at=T0 + timedelta(hours=72),
        first_response_at=T0 + timedelta(hours=20),
        first_response_seconds=72000,
        first_response_met_target=True,
        assigned_officer=hughes,
        first_response_officer=hughes,
    )
    escalated = query.objects.create(
        reference="DY-M4RT-2ZB",
        token_hash=_sha("query-2"),
        neighbourhood=ripley,
        topic="road_safety",
        message="Cars parked on the zigzags at school time.",
        name="Sam Smith",
        phone="07700 900123",
        contact_preference="phone",
        consented_at=T0,
        submitted_at=T0,
        clock=2,
        clock_started_at=T0 + timedelta(days=4),
        due_at=T0 + timedelta(days=7),
        next_escalation_at=T0 + timedelta(days=6),
        next_escalation_step="breach",
        first_response_at=T0 + timedelta(hours=80),
        first_response_seconds=288000,
        first_response_met_target=False,
        resident_escalated_at=T0 + timedelta(days=5),
        assigned_officer=chen,
        first_response_officer=okafor,
    )
    closed = query.objects.create(
        reference="DY-H8WN-5CD",
        token_hash=_sha("query-3"),
        neighbourhood=loughborough,
        topic="other",
        message="",
        name="",
        contact_preference="email",
        consented_at=T0 - timedelta(days=400),
        status="closed",
        submitted_at=T0 - timedelta(days=400),
        clock_started_at=T0 - timedelta(days=400),
        due_at=T0 - timedelta(days=397),
        closed_at=T0 - timedelta(days=390),
        outcome="Advice given",
        anonymised_at=T0 - timedelta(days=5),
        assigned_officer=okafor,
    )

    query_event = get("queries", "QueryEvent")
    query_event.objects.create(query=answered, kind="submitted", body="", created_at=T0)
    query_event.objects.create(
        query=answered,
        kind="reply",
        body="We will patrol the park this week.",
        author=pc_user,
        created_at=T0 + timedelta(hours=20),
    )
    query_event.objects.create(
        query=escalated,
        kind="note",
        body="Passed to the school liaison officer.",
        author=sgt_user,
        created_at=T0 + timedelta(hours=2),
    )
    query_event.objects.create(
        query=escalated,
        kind="resident_escalation",
        created_at=T0 + timedelta(days=5),
    )

    step = get("queries", "EscalationStep")
    step.objects.create(
        query=escalated, clock=1, step="reminder", taken_at=T0 + timedelta(hours=48)
    )
    step.objects.create(query=escalated, clock=1, step="breach", taken_at=T0 + timedelta(hours=72))
    step.objects.create(query=escalated, clock=2, step="reminder", taken_at=T0 + timedelta(days=6))

    clock = get("queries", "ResponseClock")
    clock.objects.create(
        query=answered,
        number=1,
        neighbourhood=belper,
        topic="asb",
        started_at=T0,
        due_at=T0 + timedelta(hours=72),
        answered_at=T0 + timedelta(hours=20),
        response_seconds=72000,
        met_target=True,
        held_by=hughes,
    )
    clock.objects.create(
        query=escalated,
        number=1,
        neighbourhood=ripley,
        topic="road_safety",
        started_at=T0,
        due_at=T0 + timedelta(hours=72),
        answered_at=T0 + timedelta(hours=80),
        response_seconds=288000,
        met_target=False,
        held_by=okafor,
    )
    clock.objects.create(
        query=escalated,
        number=2,
        neighbourhood=ripley,
        topic="road_safety",
        started_at=T0 + timedelta(days=4),
        due_at=T0 + timedelta(days=7),
    )
    clock.objects.create(
        query=closed,
        number=1,
        neighbourhood=loughborough,
        topic="other",
        started_at=T0 - timedelta(days=400),
        due_at=T0 - timedelta(days=397),
        ended_at=T0 - timedelta(days=390),
    )

    outbox = get("queries", "OutboxEmail")
    outbox.objects.create(
        query=answered,
        to=["jo@example.com"],
        subject="Your query DY-7K3P-Q9X has been answered",
        body_text="[removed after sending]",
        status="sent",
        attempts=1,
        sent_at=T0 + timedelta(hours=20, minutes=1),
        redact_after_send=True,
        forget_after=T0 + timedelta(days=30),
    )
    outbox.objects.create(
        query=escalated,
        to=["ripley.snt@derbyshire.police.example", "daniel.okafor@derbyshire.police.example"],
        subject="Breach notice: DY-M4RT-2ZB",
        body_text="The response target for DY-M4RT-2ZB was missed.",
        body_html="<p>The response target for DY-M4RT-2ZB was missed.</p>",
        status="failed",
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
        next_attempt_at=None,
    )
    outbox.objects.create(
        to=["jo@example.com"],
        subject="New in Belper: beat surgery at Belper library",
        body_text="Saturday 4 April, 10am to noon",
        headers={
            "List-Unsubscribe": "<https://portal.example/alerts/unsubscribe/1/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        next_attempt_at=T0 + timedelta(minutes=10),
    )


def _query_links(snapshot: dict[str, Table]) -> set[tuple[int, int]]:
    """(email, query) of each outbox row that named a query, at today's schema."""
    rows = snapshot["queries_outboxemail"].rows.values()
    return {(row["id"], row["query_id"]) for row in rows if row["query_id"] is not None}


def _content_type_labels(state_apps) -> dict[str, tuple[str, int]]:
    """For each moved model, the app label of its content type and the content type's id:
    the same id whichever app holds it."""
    content_types = state_apps.get_model("contenttypes", "ContentType").objects
    found = {}
    for model, old, new in MOVED_CONTENT_TYPES:
        for content_type in content_types.filter(model=model, app_label__in=[old, new]):
            assert model not in found, f"{model} has a content type in both apps"
            found[model] = (content_type.app_label, content_type.pk)
    return found


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_and_back_keeps_every_row():
    executor = MigrationExecutor(connection)
    blocked = _irreversible(executor, _old_targets())
    if blocked:
        pytest.skip(f"today's schema cannot be rebuilt: {', '.join(blocked)} cannot be unapplied")
    try:
        # Today's schema, with rows in every table of the portal's apps.
        _migrate(executor, _old_targets())
        old_apps = executor.loader.project_state(OLD_LEAVES).apps
        _seed(old_apps)
        old_tables = _tables(old_apps, PORTAL_APPS + NEW_APPS)
        first = _snapshot(old_tables)
        labels_before = _content_type_labels(old_apps)
        assert {model: label for model, (label, _pk) in labels_before.items()} == {
            model: old for model, old, _new in MOVED_CONTENT_TYPES
        }
        empty = sorted(table for table in old_tables if table not in first or not first[table].rows)
        assert not empty, f"no rows in {', '.join(empty)}: write some in _seed()"

        # Forward to the latest migrations: every table and row still there, unchanged.
        _migrate(executor, executor.loader.graph.leaf_nodes())
        new_apps = executor.loader.project_state().apps
        forward = _snapshot(old_tables | _tables(new_apps, PORTAL_APPS + NEW_APPS))
        problems = _differences(
            first, forward, when="after migrating forward", ignored=CHANGED_COLUMNS, exact=False
        )
        assert not problems, "Migrating forward changed rows:\n" + _report(problems)
        # The outbox's query column moved into the queries app's link table, pair for pair.
        assert _query_links(first) == {
            (row["email_id"], row["query_id"])
            for row in forward["queries_queryemail"].rows.values()
        }
        moved_to = {model: new for model, _old, new in MOVED_CONTENT_TYPES}
        assert _content_type_labels(new_apps) == {
            model: (moved_to[model], pk) for model, (_old, pk) in labels_before.items()
        }

        # Back to today's schema: exactly what it held, moved columns included.
        _migrate(executor, _old_targets())
        back = _snapshot(_tables(old_apps, PORTAL_APPS + NEW_APPS))
        problems = _differences(first, back, when="after migrating back", ignored={}, exact=True)
        assert not problems, "Migrating back did not restore the rows:\n" + _report(problems)
        assert _content_type_labels(old_apps) == labels_before
    finally:
        # Leave the latest schema, as the rest of the suite expects, whatever happened.
        _migrate(executor, executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_content_type_made_under_the_new_label_before_migrating_is_merged():
    """A process of the new release may make a moved model's content type before the migrations
    run: the migration keeps the established row, with what pointed at either."""
    executor = MigrationExecutor(connection)
    if _irreversible(executor, _old_targets()):
        pytest.skip("today's schema cannot be rebuilt")
    try:
        _migrate(executor, _old_targets())
        admin_log = ("admin", "0003_logentry_add_action_flag_choices")
        old_apps = executor.loader.project_state([*OLD_LEAVES, admin_log]).apps
        content_types = old_apps.get_model("contenttypes", "ContentType").objects
        permissions = old_apps.get_model("auth", "Permission").objects
        established = content_types.get(app_label="neighbourhoods", model="priority")
        early = content_types.create(app_label="engagement", model="priority")
        permissions.create(content_type=early, codename="change_priority", name="Can change")
        permissions.create(content_type=early, codename="export_priority", name="Can export")
        editors = old_apps.get_model("auth", "Group").objects.create(name="Editors")
        editors.permissions.set(permissions.filter(content_type=early))
        user = old_apps.get_model("auth", "User").objects.create(username="editor")
        old_apps.get_model("admin", "LogEntry").objects.create(
            content_type=early, user=user, object_id="1", object_repr="A priority", action_flag=2
        )

        _migrate(executor, executor.loader.graph.leaf_nodes())

        new_apps = executor.loader.project_state().apps
        moved = new_apps.get_model("contenttypes", "ContentType").objects.get(
            app_label="engagement", model="priority"
        )
        assert moved.pk == established.pk
        held = new_apps.get_model("auth", "Group").objects.get(name="Editors").permissions
        assert set(held.values_list("codename", "content_type_id")) == {
            ("change_priority", established.pk),
            ("export_priority", established.pk),
        }
        entry = new_apps.get_model("admin", "LogEntry").objects.get(object_repr="A priority")
        assert entry.content_type_id == established.pk
    finally:
        _migrate(executor, executor.loader.graph.leaf_nodes())
