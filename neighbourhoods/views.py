from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from neighbourhoods import selectors
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    divisions = selectors.division_list_with_neighbourhoods(force_slug=settings.FORCE_SLUG)
    return render(request, "neighbourhoods/home.html", {"divisions": divisions})


@require_GET
def neighbourhood_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        neighbourhood = selectors.neighbourhood_for_page(slug=slug)
    except Neighbourhood.DoesNotExist as exc:
        raise Http404("No such neighbourhood") from exc
    team = neighbourhood.current_team
    named = [a for a in team if a.role == Assignment.Role.NAMED_OFFICER]
    return render(
        request,
        "neighbourhoods/detail.html",
        {
            "neighbourhood": neighbourhood,
            "named_assignment": named[0] if named else None,
            "team": [a for a in team if a.role != Assignment.Role.NAMED_OFFICER],
        },
    )
