"""The public monthly summary of hotspot patrols: the force at /patrols/, a division at
/patrols/<division>/, a neighbourhood at /neighbourhoods/<slug>/patrols/; each as CSV too.
Only totals: no officer's name, no note."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from config.bilingual import in_language, setting_in_language
from config.spreadsheets import csv_lines
from neighbourhoods.models import Division, Neighbourhood
from patrols import selectors, summary
from patrols.forms import MonthForm

# How far back the month can be chosen.
YEARS_BACK = 3


@dataclass(frozen=True)
class Area:
    name: str  # as a heading: "Derbyshire Constabulary", "Derby City division"
    where: str  # in the sentence: "across Derbyshire Constabulary", "in Normanton"
    slug: str  # in the CSV file's name
    neighbourhood_ids: frozenset[int] | None
    csv_url: str
    neighbourhood: Neighbourhood | None = None


def _month_form(request: HttpRequest) -> MonthForm:
    today = timezone.localdate()
    earliest = datetime.date(today.year - YEARS_BACK, today.month, 1)
    return MonthForm(request.GET, today=today, earliest=earliest)


def _page(request: HttpRequest, area: Area) -> HttpResponse:
    form = _month_form(request)
    context: dict = {"form": form, "area": area}
    status = 200
    if form.is_valid():
        month = form.cleaned_data["month"]
        figures = selectors.month_figures(
            neighbourhood_ids=area.neighbourhood_ids, months=selectors.months_ending(month)
        )
        shown = figures[-1]
        context.update(
            month=month,
            sentence=summary.sentence(shown, where=area.where, so_far=month == form.this_month),
            chart=summary.chart(figures),
            rows=[
                (month_figures, summary.hours_text(month_figures.hours))
                for month_figures in figures
            ],
            outcome_names=summary.SENTENCE_ORDER,
            outcome_labels=[summary.LABELS[name] for name in summary.SENTENCE_ORDER],
            csv_query=f"month={month:%Y-%m}",
        )
    else:
        status = 400
    return render(request, "patrols/summary.html", context, status=status)


def _csv(request: HttpRequest, area: Area) -> HttpResponse:
    form = _month_form(request)
    if not form.is_valid():
        return _page(request, area)
    month = form.cleaned_data["month"]
    figures = selectors.month_figures(
        neighbourhood_ids=area.neighbourhood_ids, months=selectors.months_ending(month)
    )
    response = StreamingHttpResponse(
        csv_lines(summary.csv_rows(figures, area=area.name)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"hotspot-patrols-{area.slug}-to-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _force() -> Area:
    return Area(
        name=setting_in_language("FORCE_NAME"),
        where=gettext("across %(force)s") % {"force": setting_in_language("FORCE_NAME")},
        slug=settings.FORCE_SLUG,
        neighbourhood_ids=None,
        csv_url=reverse("patrols:force_csv"),
    )


def _division(slug: str) -> Area:
    division = Division.objects.filter(slug=slug).order_by("pk").first()
    if division is None:
        raise Http404("No such division")
    ids = frozenset(division.neighbourhoods.values_list("pk", flat=True))
    return Area(
        name=gettext("%(name)s division") % {"name": division.name},
        where=gettext("in the %(name)s division") % {"name": division.name},
        slug=division.slug,
        neighbourhood_ids=ids,
        csv_url=reverse("patrols:division_csv", kwargs={"division": division.slug}),
    )


def _neighbourhood(slug: str) -> Area:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    return Area(
        name=neighbourhood.name,
        where=gettext("in %(name)s") % {"name": in_language(neighbourhood, "name")},
        slug=neighbourhood.slug,
        neighbourhood_ids=frozenset({neighbourhood.pk}),
        csv_url=reverse("patrols:neighbourhood_csv", kwargs={"slug": neighbourhood.slug}),
        neighbourhood=neighbourhood,
    )


@require_safe
def force_summary(request: HttpRequest) -> HttpResponse:
    return _page(request, _force())


@require_safe
def force_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, _force())


@require_safe
def division_summary(request: HttpRequest, division: str) -> HttpResponse:
    return _page(request, _division(division))


@require_safe
def division_csv(request: HttpRequest, division: str) -> HttpResponse:
    return _csv(request, _division(division))


@require_safe
def neighbourhood_summary(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _neighbourhood(slug))


@require_safe
def neighbourhood_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _csv(request, _neighbourhood(slug))
