"""How a quarterly report says its figures: the snapshot's numbers in words, and its trend as
the dashboard's chart (bars of responses due, a line of the share within the target) with a
quarter under each bar. Everything here reads the snapshot only, so a published report reads
the same whatever happens to the data afterwards."""

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from config.bilingual import Named, in_language, marked
from config.dates import month_name_text, month_text
from dashboards.charts import Chart, Tick, trend_chart
from dashboards.display import duration_text, share_percent, share_text
from dashboards.quarters import parse_quarter
from patrols.models import OUTCOME_LABELS, PUBLIC_ORDER
from patrols.summary import hours_text


@dataclass(frozen=True)
class _Point:
    """A quarter as the trend chart reads a week."""

    week_start: datetime.date
    responses_due: int
    share_met: float | None


def _chart(trend: list[dict]) -> Chart | None:
    points = [
        _Point(datetime.date.fromisoformat("2000-01-01"), row["responses_due"], row["share_met"])
        for row in trend
    ]
    chart = trend_chart(points)
    if chart is None:
        return None
    shares = [share_percent(row["share_met"]) for row in trend if row["share_met"] is not None]
    sentences = [
        _(
            "Responses due in each of the %(count)s quarters from %(first)s to %(last)s (bars) "
            "and the share answered within the target (line)."
        )
        % {"count": len(trend), "first": trend[0]["label"], "last": trend[-1]["label"]}
    ]
    if shares and min(shares) == max(shares):
        sentences.append(
            _("The share within the target was %(share)s%% in every quarter with one.")
            % {"share": shares[0]}
        )
    elif shares:
        sentences.append(
            _("The share within the target ranged from %(low)s%% to %(high)s%%.")
            % {"low": min(shares), "high": max(shares)}
        )
    else:
        sentences.append(_("No response was decided, so there is no share within the target."))
    sentences.append(_("The table below gives each quarter’s figures."))
    return dataclasses.replace(
        chart,
        week_ticks=[
            Tick(centre, row["label"]) for centre, row in zip(_centres(chart), trend, strict=True)
        ],
        summary=" ".join(sentences),
    )


def _centres(chart: Chart) -> list[str]:
    """The middle of each bar, where its quarter is named."""
    return [f"{float(bar.x) + float(bar.width) / 2:.1f}" for bar in chart.bars]


def _quarter_label(row: dict[str, Any]) -> dict[str, Any]:
    """A trend row with its quarter named in the reader's language (the snapshot keeps the
    quarter's address as well as its name)."""
    if "quarter" not in row:
        return row
    return row | {"label": parse_quarter(row["quarter"]).short_label}


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return row | {
        "share_text": share_text(row["share_met"]),
        "median_text": duration_text(row.get("median_seconds")),
    }


def _force_name(row: dict[str, Any]) -> Named:
    """The force's name as the snapshot keeps it: in English, and in Welsh where the force
    had one when the report was written (an earlier snapshot has the English alone)."""
    return Named(name=row["name"], name_cy=row.get("name_cy", ""))


def _patrols(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """The patrol table: a row for each measure, a column for the force and each division.
    None for a report published before the snapshot had patrols (schema 1)."""
    patrols = snapshot.get("patrols")
    if patrols is None:
        return None
    areas = [patrols["force"], *patrols["divisions"]]
    names = [in_language(_force_name(patrols["force"]), "name"), *(a["name"] for a in areas[1:])]
    measures = [
        (
            _("Officer hours on patrol"),
            [hours_text(area["officer_minutes"] / 60) for area in areas],
        ),
        (_("Patrols"), [area["patrols"] for area in areas]),
        (_("Hotspots patrolled"), [area["hotspots"] for area in areas]),
        *((OUTCOME_LABELS[name], [area[name] for area in areas]) for name in PUBLIC_ORDER),
    ]
    first = datetime.date.fromisoformat(patrols["first_month"])
    last = datetime.date.fromisoformat(patrols["last_month"])
    return {
        "areas": names,
        "rows": [
            {"label": label, "cells": list(zip(names, values, strict=True))}
            for label, values in measures
        ],
        "any": bool(patrols["force"]["patrols"]),
        "months": pgettext("from a month to a month", "%(first)s to %(last)s")
        % {"first": month_name_text(first), "last": month_text(last)},
    }


def report_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What the report's template shows, from its snapshot."""
    trend = [_quarter_label(row) for row in snapshot["trend"]]
    return {
        "figures": snapshot,
        "first_day": datetime.date.fromisoformat(snapshot["first_day"]),
        "last_day": datetime.date.fromisoformat(snapshot["last_day"]),
        "as_at": datetime.datetime.fromisoformat(snapshot["as_at"]),
        "force": _shown(snapshot["force"])
        | {"name": marked(_force_name(snapshot["force"]), "name")},
        "divisions": [_shown(row) for row in snapshot["divisions"]],
        "trend": [_shown(row) for row in trend],
        "chart": _chart(trend),
        "furthest": [_shown(row) for row in snapshot["furthest"]],
        "abstractions": snapshot["abstractions"],
        "has_abstractions": any(row["hours"] for row in snapshot["abstractions"]["divisions"])
        or bool(snapshot["abstractions"]["force_hours"]),
        "patrols": _patrols(snapshot),
    }
