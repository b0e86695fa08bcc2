from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from config import caching
from config.bilingual import in_language
from neighbourhoods import search, selectors
from neighbourhoods.forms import NeighbourhoodSearchForm
from neighbourhoods.models import Neighbourhood
from neighbourhoods.page import neighbourhood_page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """One search box: a postcode or a location goes straight to its neighbourhood, a name
    lists matches, and anything else says what went wrong and what to do instead."""
    form = NeighbourhoodSearchForm(request.GET if "q" in request.GET else None)
    result = None
    if "lat" in request.GET or "lng" in request.GET:
        result = search.search_location(request.GET.get("lat"), request.GET.get("lng"))
        form = NeighbourhoodSearchForm({"q": ""})
    elif form.is_bound and form.is_valid():
        result = search.search_text(form.cleaned_data["q"])
    if result and result.neighbourhood:
        return redirect(result.neighbourhood)
    if result and result.problem:
        form.is_valid()
        form.show_problem(result)
    divisions = selectors.division_list_with_neighbourhoods(force_slug=settings.FORCE_SLUG)
    return render(
        request,
        "neighbourhoods/home.html",
        {"form": form, "result": result, "divisions": divisions},
    )


@require_safe
@caching.shared_public_page
def neighbourhood_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page, its main content cached until anything it shows changes."""
    version = caching.public_content_version()
    # Keyed on the London date too: what is open (surveys) changes at midnight by itself;
    # and on the language it is written in.
    today = timezone.localdate().isoformat()
    key = f"neighbourhood-page:{slug}:{translation.get_language()}:{version}:{today}"
    cached = caching.cache_get(key) if version is not None else None
    if cached is None:
        try:
            page = neighbourhood_page(slug=slug)
        except Neighbourhood.DoesNotExist as exc:
            raise Http404("No such neighbourhood") from exc
        shared = {
            "neighbourhood": page.neighbourhood,
            "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        }
        sections = [
            render_to_string(section.template, {**shared, **section.context})
            for section in page.sections
        ]
        head = [
            render_to_string(section.head_template, shared)
            for section in page.sections
            if section.head_template
        ]
        cached = {
            "name": in_language(page.neighbourhood, "name"),
            "head": "".join(head),
            "content": render_to_string(
                "neighbourhoods/_detail_content.html",
                # Rendered by the portal's own templates, so safe as they are.
                {**shared, "page": page, "sections": [mark_safe(html) for html in sections]},
            ),
        }
        if version is not None:
            caching.cache_set(key, cached, timeout=caching.PUBLIC_PAGE_SECONDS)
    # Rendered by the portal's own templates above, so safe as they are.
    return render(
        request,
        "neighbourhoods/detail.html",
        {
            "name": cached["name"],
            "head": mark_safe(cached.get("head", "")),
            "content": mark_safe(cached["content"]),
            "area_map": bool(settings.MAP_TILE_URL),
        },
    )
