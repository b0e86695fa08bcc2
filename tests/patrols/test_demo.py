"""The demo's hotspots: three, with about three months of patrols tallied as the service
tallies them, and seeding again adds nothing."""

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from patrols.models import Hotspot, Patrol, PatrolMonth
from patrols.selectors import add_months

pytestmark = pytest.mark.django_db


def test_the_demo_has_hotspots_with_three_months_of_patrols_and_seeding_twice_adds_nothing(
    client,
):
    call_command("seed_demo")
    before = (Hotspot.objects.count(), Patrol.objects.count(), PatrolMonth.objects.count())
    call_command("seed_demo")

    assert (Hotspot.objects.count(), Patrol.objects.count(), PatrolMonth.objects.count()) == before
    assert Hotspot.objects.count() == 3
    this_month = timezone.localdate().replace(day=1)
    earliest = add_months(this_month, -2)
    months = set(PatrolMonth.objects.values_list("month", flat=True))
    assert (
        {earliest, add_months(this_month, -1)}
        <= months
        <= {
            earliest,
            add_months(this_month, -1),
            this_month,
        }
    )
    assert PatrolMonth.objects.aggregate(n=Sum("patrols"))["n"] == Patrol.objects.count()
    page = client.get("/patrols/", {"month": f"{earliest:%Y-%m}"}).content.decode()
    assert "Officers spent" in page and "in 3 hotspots" in page
