"""Reads of neighbourhoods. The neighbourhood page's are neighbourhoods.page."""

from django.db.models import Prefetch, QuerySet

from neighbourhoods.models import Division, Neighbourhood


def division_list_with_neighbourhoods(*, force_slug: str) -> QuerySet[Division]:
    """Every division of the force with its neighbourhoods, in two queries."""
    return Division.objects.filter(force__slug=force_slug).prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
    )
