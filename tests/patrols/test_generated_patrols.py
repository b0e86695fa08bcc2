"""Any text through the hotspot and patrol forms and the public month: each either saves or
names the problem on the form, never an error page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from patrols.forms import HotspotForm, PatrolForm
from patrols.models import Hotspot, Patrol
from patrols.services import hotspot_neighbourhoods, hotspot_save, patrol_team
from tests.test_generated_input import any_text, examples, mostly

pytestmark = pytest.mark.django_db

CORNERS = st.sampled_from(
    ["52.921, -1.471\n52.921, -1.469\n52.919, -1.469", "52.92 -1.47\n52.93 -1.47\n52.92 -1.46"]
)
COUNTS = st.one_of(st.integers(-5, 20_000).map(str), any_text())


@examples
@given(corners=mostly(CORNERS), centre=any_text(), radius=any_text(), name=any_text())
def test_the_hotspot_form_saves_or_names_the_problem(sergeant, area, corners, centre, radius, name):
    shape = "circle" if centre.strip() else "polygon"
    form = HotspotForm(
        {
            "neighbourhood": area.pk,
            "name": name,
            "reason": "Nuisance",
            "shape": shape,
            "corners": corners,
            "centre": centre,
            "radius": radius,
            "plan_start_day": "1",
            "plan_start_month": "1",
            "plan_start_year": "2026",
            "plan_end_day": "1",
            "plan_end_month": "2",
            "plan_end_year": "2026",
            "planned_hours": "10",
        },
        neighbourhoods=hotspot_neighbourhoods(sergeant.user),
    )
    if not form.is_valid():
        assert form.errors
        return
    data = form.cleaned_data
    try:
        hotspot_save(
            by=sergeant.user,
            neighbourhood=data["neighbourhood"],
            name=data["name"],
            reason=data["reason"],
            polygon=data["polygon"],
            centre=data["centre_point"],
            radius_metres=data["radius_metres"],
            plan_starts_on=data["plan_start"],
            plan_ends_on=data["plan_end"],
            planned_hours=data["planned_hours"],
        )
    except ValidationError as error:
        assert error.messages
    else:
        assert Hotspot.objects.filter(name=data["name"].strip()).exists()


@examples
@given(arrests=COUNTS, note=any_text(), start=any_text(), end=any_text())
def test_the_patrol_form_reads_or_names_the_problem(priya, hotspot, arrests, note, start, end):
    day = timezone.localdate() - datetime.timedelta(days=1)
    form = PatrolForm(
        {
            "hotspot": hotspot.pk,
            "start_date_day": day.day,
            "start_date_month": day.month,
            "start_date_year": day.year,
            "start_time": start,
            "end_time": end,
            "arrests": arrests,
            "note": note,
        },
        hotspots=Hotspot.objects.all(),
        team=patrol_team(priya.user),
    )
    if form.is_valid():
        assert form.cleaned_data["arrests"] >= 0
        assert "\x00" not in form.cleaned_data["note"]
    else:
        assert form.errors
    assert not Patrol.objects.exists()


@examples
@given(month=any_text())
def test_the_public_summary_answers_any_month(client, month):
    response = client.get("/patrols/", {"month": month})
    assert response.status_code in (200, 400)
    assert "Hotspot patrols" in response.content.decode()
