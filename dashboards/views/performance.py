"""The public performance pages: how the force and each division keep the Guarantee, under
/performance/, and how the figures are counted. Anyone may read them; they show only the
published aggregates (dashboards.selectors.scorecard)."""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.bilingual import setting_in_language, setting_marked
from dashboards import performance_page, public
from dashboards.charts import month_chart
from dashboards.public_display import answered_text, as_of_text, hours_text, suppressed_text
from dashboards.selectors.scorecard import (
    AreaFigures,
    Scorecard,
    default_months,
    division_scope,
    force_scope,
)
from neighbourhoods.models import Division

# ?sort= values: a column, "-" first for the other way.
SORTS = {
    "name": lambda area: (area.name.casefold(),),
    "queries": lambda area: (area.figures.suppressed, area.figures.queries or 0),
    "share": lambda area: (area.figures.suppressed, area.figures.share_percent or 0),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool
    href: str
    aria_sort: str  # "ascending", "descending" or "" when not sorted by it


def _sorted(areas: list[AreaFigures], sort: str) -> tuple[list[AreaFigures], str, bool]:
    """The neighbourhoods in the order asked for (suppressed figures always last); an unknown
    sort is the default."""
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key not in SORTS:
        key, descending = DEFAULT_SORT, False
    measured = [area for area in areas if key == "name" or not area.figures.suppressed]
    hidden = [area for area in areas if key != "name" and area.figures.suppressed]
    measured.sort(key=lambda area: (*SORTS[key](area), area.name), reverse=descending)
    hidden.sort(key=lambda area: area.name.casefold())
    return measured + hidden, key, descending


def _columns(key: str, descending: bool) -> list[Column]:
    columns = []
    for name, label, numeric in (
        ("name", _("Neighbourhood"), False),
        ("queries", _("Queries"), True),
        ("share", _("Answered within the target"), True),
    ):
        current = name == key
        toggle = f"-{name}" if current and not descending else name
        aria = ("descending" if descending else "ascending") if current else ""
        columns.append(Column(name, label, numeric, f"?sort={toggle}#compare", aria))
    return columns


def _page(request: HttpRequest, *, card: Scorecard, heading: str, scope, divisions) -> HttpResponse:
    first, last = default_months(timezone.localdate())
    months, _as_of = public.monthly_figures(scope, first, last)
    areas, key, descending = _sorted(card.neighbourhoods, request.GET.get("sort", DEFAULT_SORT))
    return render(
        request,
        "dashboards/performance.html",
        {
            "heading": heading,
            "card": card,
            "answered": answered_text(card.figures),
            "typical": hours_text(card.figures.median_hours),
            "as_of": as_of_text(card.computed_at, timezone.now()),
            "months": [
                {
                    "figures": month,
                    "typical": hours_text(month.median_hours),
                }
                for month in months
            ],
            "chart": month_chart(months),
            "areas": areas,
            "columns": _columns(key, descending),
            "divisions": divisions,
            "suppressed": suppressed_text(),
            "target_hours": settings.RESPONSE_TARGET_HOURS,
            "scope_key": scope.key,
            "area_key": scope.key.removeprefix("division:"),
            "open_data": performance_page.templates(),
            "licence_name": setting_marked("OPEN_DATA_LICENCE_NAME"),
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
        },
    )


def _divisions():
    return list(
        Division.objects.filter(force__slug=settings.FORCE_SLUG)
        .order_by("name")
        .values("slug", "name")
    )


@require_safe
def force(request: HttpRequest) -> HttpResponse:
    scope = force_scope()
    return _page(
        request,
        card=public.area_scorecard(scope),
        heading=_("How %(force)s keeps the Neighbourhood Policing Guarantee")
        % {"force": setting_in_language("FORCE_NAME")},
        scope=scope,
        divisions=_divisions(),
    )


@require_safe
def division(request: HttpRequest, slug: str) -> HttpResponse:
    found = Division.objects.filter(force__slug=settings.FORCE_SLUG, slug=slug).first()
    if found is None:
        raise Http404("No such division")
    scope = division_scope(found)
    return _page(
        request,
        card=public.area_scorecard(scope),
        heading=_("How the %(division)s division keeps the Neighbourhood Policing Guarantee")
        % {"division": found.name},
        scope=scope,
        divisions=None,
    )


@require_safe
def how_we_count(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboards/how_we_count.html",
        {
            "threshold": settings.PUBLIC_SUPPRESSION_THRESHOLD,
            "target_hours": settings.RESPONSE_TARGET_HOURS,
            "licence_name": setting_marked("OPEN_DATA_LICENCE_NAME"),
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "refresh_minutes": settings.PUBLIC_SCORECARD_REFRESH_MINUTES,
            "open_data": performance_page.templates(),
        },
    )
