"""The abstractions log: an officer's status and entries, logging, "I'm back now",
corrections, and the report with its chart and CSV."""

import math
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from officers import abstractions
from officers.abstraction_forms import AbstractionForm, ReportForm
from officers.models import Abstraction, Officer
from queries.dashboard_access import dashboard_scopes
from queries.dashboard_csv import csv_lines
from queries.dashboard_display import (
    CHART_HEIGHT,
    CHART_MARGINS,
    CHART_WIDTH,
    MOST_WEEK_LABELS,
    Bar,
    Tick,
    _axis_top,
    _n,
)

HISTORY_SHOWN = 50


def _loggable(request: HttpRequest) -> list[Officer]:
    officers = list(abstractions.officers_loggable_by(request.user))
    if not officers:
        raise PermissionDenied("You cannot log abstractions.")
    return officers


def _own_officer(request: HttpRequest, officers: list[Officer]) -> Officer | None:
    return next((officer for officer in officers if officer.user_id == request.user.pk), None)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    officers = _loggable(request)
    own = _own_officer(request, officers)
    current = abstractions.abstraction_current(own) if own else None
    entries = list(
        abstractions.abstractions_visible(request.user).order_by("-starts_at", "-pk")[
            :HISTORY_SHOWN
        ]
    )
    return render(
        request,
        "officers/abstractions/home.html",
        {
            "own": own,
            "current": current,
            "current_period": (
                abstractions.period_text(current.starts_at, current.ends_at) if current else ""
            ),
            "entries": entries,
            "history_shown": HISTORY_SHOWN,
            "for_others": len(officers) > 1 or own is None,
            "can_report": bool(dashboard_scopes(request.user)),
        },
    )


def _service_errors(form: AbstractionForm, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        field = {"ends_at": "end_date", "starts_at": "start_date"}.get(name, name)
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@require_http_methods(["GET", "POST"])
@login_required
def log(request: HttpRequest) -> HttpResponse:
    officers = _loggable(request)
    own = _own_officer(request, officers)
    with_officer = len(officers) > 1 or own is None
    queryset = abstractions.officers_loggable_by(request.user)
    if request.method == "POST":
        form = AbstractionForm(request.POST, officers=queryset, with_officer=with_officer)
        if form.is_valid():
            data = form.cleaned_data
            officer = data["officer"] if with_officer else own
            try:
                abstraction = abstractions.abstraction_log(
                    by=request.user,
                    officer=officer,
                    reason=data["reason"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    note=data["note"],
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                whose = "Your" if officer == own else f"{officer.display_name}\u2019s"
                messages.success(
                    request,
                    f"{whose} {abstraction.get_reason_display().lower()} abstraction is logged "
                    f"{abstractions.period_text(abstraction.starts_at, abstraction.ends_at)}",
                )
                return redirect("officers:abstractions")
    else:
        initial = AbstractionForm.initial_for_now(timezone.now())
        if own is not None:
            initial["officer"] = own.pk
        form = AbstractionForm(initial=initial, officers=queryset, with_officer=with_officer)
    return render(
        request,
        "officers/abstractions/form.html",
        {"form": form, "title": "Log an abstraction", "action": request.path},
    )


def _changeable(request: HttpRequest, pk: int) -> Abstraction:
    abstraction = get_object_or_404(Abstraction.objects.select_related("officer"), pk=pk)
    if not abstractions.can_log_abstraction(request.user, abstraction.officer):
        raise PermissionDenied("You cannot change this officer's abstractions.")
    return abstraction


@require_http_methods(["GET", "POST"])
@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    abstraction = _changeable(request, pk)
    if request.method == "POST":
        form = AbstractionForm(request.POST, with_officer=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                abstractions.abstraction_correct(
                    by=request.user,
                    abstraction=abstraction,
                    reason=data["reason"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    note=data["note"],
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(
                    request, "The abstraction is corrected. The log keeps the old version."
                )
                return redirect("officers:abstractions")
    else:
        form = AbstractionForm(initial=AbstractionForm.initial_for(abstraction), with_officer=False)
    return render(
        request,
        "officers/abstractions/form.html",
        {
            "form": form,
            "title": "Correct an abstraction",
            "caption": str(abstraction.officer),
            "action": request.path,
            "abstraction": abstraction,
            "versions": abstraction.history.select_related("history_user").order_by(
                "-history_date"
            )[:20],
        },
    )


@require_POST
@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    abstraction = _changeable(request, pk)
    try:
        abstractions.abstraction_end(by=request.user, abstraction=abstraction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        whose = (
            "You are"
            if abstraction.officer.user_id == request.user.pk
            else (f"{abstraction.officer.display_name} is")
        )
        messages.success(request, f"{whose} marked back in the neighbourhood")
    return redirect("officers:abstractions")


# --- The report's chart ----------------------------------------------------------------------

# GOV.UK colours, one per reason, in the order of Abstraction.Reason.
REASON_COLOURS = ("#1d70b8", "#f47738", "#4c2c92", "#00703c", "#d4351c", "#28a197", "#505a5f")


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    bars: list[Bar]


@dataclass(frozen=True)
class StackedChart:
    """Hours abstracted each week as bars stacked by reason, drawn like the dashboard's trend
    chart (the same axes, ticks and sizes). The template only writes the attributes."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    base: int
    series: list[Series]
    hour_ticks: list[Tick]
    week_ticks: list[Tick]
    summary: str

    @property
    def hour_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def week_label_y(self) -> int:
        return self.base + 18


def report_chart(rows: list[abstractions.WeekRow]) -> StackedChart | None:
    if not rows:
        return None
    left, right = CHART_MARGINS["left"], CHART_WIDTH - CHART_MARGINS["right"]
    top, base = CHART_MARGINS["top"] - 24, CHART_HEIGHT - CHART_MARGINS["bottom"]
    plot_height = base - top
    hours_top = _axis_top(math.ceil(max(row.total for row in rows)))
    slot = (right - left) / len(rows)
    bar_width = max(slot * 0.6, 1)
    stacked = [0.0] * len(rows)
    series = []
    for (value, label), colour in zip(Abstraction.Reason.choices, REASON_COLOURS, strict=True):
        bars = []
        for index, row in enumerate(rows):
            amount = row.by_reason[value]
            if not amount:
                continue
            centre = left + slot * (index + 0.5)
            height = plot_height * amount / hours_top
            stacked[index] += height
            bars.append(
                Bar(
                    _n(centre - bar_width / 2), _n(base - stacked[index]), _n(bar_width), _n(height)
                )
            )
        series.append(Series(label=label, colour=colour, bars=bars))
    every = math.ceil(len(rows) / MOST_WEEK_LABELS)
    fractions = [i / 4 for i in range(5)]
    return StackedChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=left,
        plot_right=right,
        base=base,
        series=series,
        hour_ticks=[Tick(_n(base - plot_height * f), f"{hours_top * f:g}") for f in fractions],
        week_ticks=[
            Tick(_n(left + slot * (i + 0.5)), f"{row.week_start.day} {row.week_start:%b}")
            for i, row in enumerate(rows)
            if i % every == 0
        ],
        summary=_summary(rows),
    )


def _summary(rows: list[abstractions.WeekRow]) -> str:
    first = rows[0].week_start
    weeks = f"{len(rows)} week{'s' if len(rows) != 1 else ''}"
    text = (
        "Hours abstracted each week, stacked by reason, over "
        f"{weeks} from the week starting {first.day} {first:%B %Y}."
    )
    busiest = max(rows, key=lambda row: row.total)
    if not busiest.total:
        text += " Nobody was abstracted."
    else:
        text += (
            f" The most, {busiest.total:g} hours, in the week starting "
            f"{busiest.week_start.day} {busiest.week_start:%B}."
        )
    return text + " The table below gives each week\u2019s hours by reason."


# --- The report -----------------------------------------------------------------------------


def _report_form(request: HttpRequest) -> ReportForm:
    scopes = dashboard_scopes(request.user)
    if not scopes:
        raise PermissionDenied("You do not have access to the abstractions report.")
    data = {
        "weeks": request.GET.get("weeks") or str(abstractions.DEFAULT_REPORT_WEEKS),
        "scope": request.GET.get("scope") or scopes[0].key,
    }
    return ReportForm(data, scopes=scopes)


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    context: dict = {"form": form, "reasons": Abstraction.Reason.choices}
    if form.is_valid():
        scope, weeks = form.cleaned_data["scope"], form.cleaned_data["weeks"]
        result = abstractions.abstraction_report(scope=scope, weeks=weeks, now=timezone.now())
        context.update(
            scope=scope,
            weeks=weeks,
            result=result,
            chart=report_chart(result.weeks),
            query_string=urlencode({"weeks": weeks, "scope": scope.key}),
        )
    return render(request, "officers/abstractions/report.html", context)


def _report_rows(result: abstractions.Report, weeks: int, scope_label: str):
    labels = [label for _value, label in Abstraction.Reason.choices]
    yield ["Abstractions report", scope_label, f"Last {weeks} weeks"]
    yield []
    yield ["Week starting", *labels, "Total hours"]
    for row in result.weeks:
        yield [row.week_start.isoformat(), *row.cells(), row.total]
    yield []
    yield ["Officer", "Entries", *labels, "Total hours"]
    for row in result.by_officer:
        yield [
            row.label,
            row.entries,
            *(row.by_reason[value] for value in Abstraction.Reason.values),
            row.hours,
        ]
    yield []
    yield ["Neighbourhood", "Division", "Officers abstracted", "Total hours"]
    for row in result.by_neighbourhood:
        yield [row.label, row.division, row.officers, row.hours]


@require_GET
@login_required
def report_csv(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    if not form.is_valid():
        return render(request, "officers/abstractions/report.html", {"form": form}, status=400)
    scope, weeks = form.cleaned_data["scope"], form.cleaned_data["weeks"]
    result = abstractions.abstraction_report(scope=scope, weeks=weeks, now=timezone.now())
    response = StreamingHttpResponse(
        csv_lines(_report_rows(result, weeks, scope.label)), content_type="text/csv"
    )
    today = timezone.localdate()
    response["Content-Disposition"] = (
        f'attachment; filename="abstractions-{today:%Y-%m-%d}-{weeks}-weeks.csv"'
    )
    return response
