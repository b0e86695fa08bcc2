"""The quarterly Guarantee report's figures, as a JSON snapshot.

Every figure is the staff dashboard's, for the same scope and period: the force and each
division (the dashboard's division scopes: a division's neighbourhoods) through
`sla.sla_figures`, the neighbourhoods through `sla.neighbourhood_table`, over the quarter's
London days. What the report adds:

- queries: queries received (first clocks started in the quarter); answered within 72 hours:
  met; breaches: missed; % within: met / (met + missed); typical answer time: the median time
  to first response.
- the trend: the force's figures for the quarter and the three before it.
- the neighbourhoods furthest from the Guarantee: the lowest share answered in time first;
  a neighbourhood with fewer than SMALL_NUMBER queries received is not ranked (too few for
  its share to mean anything), only counted.
- hours abstracted by division over the quarter: the entries of the officers who served the
  division's neighbourhoods on the quarter's last day (`abstractions.abstractions_in`), each
  counted for the time it shares with the quarter, as the abstractions report counts it.
- hotspot patrols for the force and each division: officer hours, patrols, hotspots patrolled
  and the outcomes of the quarter's three months, from the tally the public monthly summary
  reads (`patrols.selectors.period_figures`): its months added up, but a hotspot patrolled in
  two of them counts once. Totals only: no officer's name, no note, no hotspot.

The snapshot holds numbers and names only, no resident's details; `SCHEMA` says how it is
laid out, so a later page can still read an old one: schema 1 has no "patrols"; schema 2 adds
them."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Sum

from dashboards.quarters import Quarter
from dashboards.selectors import sla
from dashboards.selectors.abstractions import abstractions_in, hours, overlap
from neighbourhoods.models import Neighbourhood
from officers.scopes import Scope
from patrols.selectors import PeriodFigures, add_months, period_figures

SCHEMA = 2
SMALL_NUMBER = 5  # fewer queries than this: not ranked
FURTHEST = 10  # neighbourhoods listed as furthest from the Guarantee
TREND_QUARTERS = 4


def _force_names() -> dict[str, str]:
    """The force's name as a snapshot keeps it, in English and (where set) Welsh."""
    return {"name": settings.FORCE_NAME, "name_cy": settings.FORCE_NAME_CY}


def force_scope() -> Scope:
    return Scope(key="force", label=settings.FORCE_NAME, neighbourhood_ids=None)


def division_scopes() -> list[Scope]:
    """The dashboard's division scopes: each division with its neighbourhoods, by name. One
    statement."""
    divisions: dict[str, tuple[str, set[int]]] = {}
    rows = (
        Neighbourhood.objects.filter(division__isnull=False)
        .order_by()
        .values_list("pk", "division__slug", "division__name")
    )
    for pk, slug, name in rows:
        divisions.setdefault(slug, (name, set()))[1].add(pk)
    return [
        Scope(key=f"division:{slug}", label=f"Division: {name}", neighbourhood_ids=frozenset(ids))
        for slug, (name, ids) in sorted(divisions.items(), key=lambda item: (item[1][0], item[0]))
    ]


def _figures(scope: Scope, quarter: Quarter, now: datetime.datetime) -> dict[str, Any]:
    figures = sla.sla_figures(scope=scope, period=quarter.period, now=now)
    return {
        "received": figures.received,
        "responses_due": figures.responses_due,
        "answered": figures.answered,
        "met": figures.met,
        "missed": figures.missed,
        "share_met": figures.share_met,
        "median_seconds": figures.median_seconds,
    }


def _furthest(quarter: Quarter, now: datetime.datetime) -> tuple[list[dict], int]:
    rows = sla.neighbourhood_table(scope=force_scope(), period=quarter.period, now=now)
    ranked = [row for row in rows if row.received >= SMALL_NUMBER and row.share_met is not None]
    not_ranked = len(rows) - len(ranked)
    # neighbourhood_table lists the lowest share first.
    furthest = [
        {
            "name": row.name,
            "division": row.division_name,
            "received": row.received,
            "met": row.met,
            "missed": row.missed,
            "share_met": row.share_met,
        }
        for row in ranked[:FURTHEST]
    ]
    return furthest, not_ranked


def _abstracted_hours(scope: Scope, quarter: Quarter) -> float:
    period = quarter.period
    shared, condition = overlap(period.start, period.end)
    total = abstractions_in(scope, quarter.last_day).filter(condition).aggregate(total=Sum(shared))
    return hours(total["total"])


def _name(division: Scope) -> str:
    return division.label.removeprefix("Division: ")


def _patrol_row(figures: PeriodFigures) -> dict[str, int]:
    return {
        "officer_minutes": figures.officer_minutes,
        "patrols": figures.patrols,
        "hotspots": figures.hotspots,
        **figures.outcomes,
    }


def _patrols(divisions: list[Scope], quarter: Quarter) -> dict[str, Any]:
    first, last = quarter.first_day, add_months(quarter.first_day, 2)
    figures = period_figures(
        areas={"force": None} | {scope.key: scope.neighbourhood_ids for scope in divisions},
        first=first,
        last=last,
    )
    return {
        "first_month": first.isoformat(),
        "last_month": last.isoformat(),
        "force": _force_names() | _patrol_row(figures["force"]),
        "divisions": [
            {"name": _name(scope), "key": scope.key} | _patrol_row(figures[scope.key])
            for scope in divisions
        ],
    }


def report_snapshot(*, quarter: Quarter, now: datetime.datetime) -> dict[str, Any]:
    """The report's figures for a quarter, as they stand at `now`, ready to store as JSON."""
    divisions = division_scopes()
    trend = []
    for back in range(TREND_QUARTERS - 1, -1, -1):
        earlier = quarter
        for _ in range(back):
            earlier = earlier.previous()
        trend.append(
            {"quarter": earlier.slug, "label": earlier.short_label}
            | _figures(force_scope(), earlier, now)
        )
    furthest, not_ranked = _furthest(quarter, now)
    abstracted = [
        {
            "division": scope.label.removeprefix("Division: "),
            "hours": _abstracted_hours(scope, quarter),
        }
        for scope in divisions
    ]
    return {
        "schema": SCHEMA,
        "quarter": quarter.slug,
        "first_day": quarter.first_day.isoformat(),
        "last_day": quarter.last_day.isoformat(),
        "as_at": now.isoformat(),
        "target_hours": settings.RESPONSE_TARGET_HOURS,
        "force": _force_names() | trend[-1],
        "divisions": [
            {"name": _name(scope), "key": scope.key} | _figures(scope, quarter, now)
            for scope in divisions
        ],
        "trend": trend,
        "small_number": SMALL_NUMBER,
        "furthest": furthest,
        "not_ranked": not_ranked,
        "abstractions": {
            "force_hours": _abstracted_hours(force_scope(), quarter),
            "divisions": abstracted,
        },
        "patrols": _patrols(divisions, quarter),
    }
