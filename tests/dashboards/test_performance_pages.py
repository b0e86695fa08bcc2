"""The public scorecard on each neighbourhood page, and the performance pages under
/performance/: what they say, what they never show, and how they read the cache."""

import datetime
import re

import pytest
from pytest_django.asserts import assertContains

from dashboards import public
from dashboards.tasks import refresh_public_scorecards
from officers.models import Assignment
from queries import clock
from tests.factories import (
    AssignmentFactory,
    DivisionFactory,
    EventFactory,
    NeighbourhoodFactory,
    PriorityFactory,
)
from tests.fixtures.clock import london
from tests.html import element, elements, hrefs
from tests.ports import unused_port
from tests.queries.factories import QueryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Friday 4 December 2026, midday.
NOW = london(2026, 12, 4, 12)
HOUR = datetime.timedelta(hours=1)
SECRET_WORDS = "my neighbour at number 12 is dealing"


def answered(area, sent, hours):
    query = QueryFactory(neighbourhood=area, submitted_at=sent, message=SECRET_WORDS)
    when = sent + hours * HOUR
    clock.stop(query, when, None)
    query.save()
    clock.record_answer(query, when)
    return query


@pytest.fixture
def team():
    """Normanton, in the City division: 50 queries in the last 90 days, 47 answered within 72
    hours (the typical one in 19 hours), beat meetings 12 days ago and next Tuesday, a priority
    changed three weeks ago and a named officer since March 2025."""
    division = DivisionFactory(name="City", slug="city")
    area = NeighbourhoodFactory(name="Normanton", slug="normanton", code="DC02", division=division)
    for n in range(47):
        answered(area, london(2026, 10, 1, 9) + n * HOUR, 19 if n < 30 else 5 if n < 40 else 40)
    for n in range(3):
        answered(area, london(2026, 10, 20, 9) + n * HOUR, 80)
    EventFactory(
        neighbourhood=area, starts_at=london(2026, 11, 22, 19), ends_at=london(2026, 11, 22, 20)
    )
    EventFactory(
        neighbourhood=area, starts_at=london(2026, 12, 8, 19), ends_at=london(2026, 12, 8, 20)
    )
    priority = PriorityFactory(neighbourhood=area)
    type(priority).objects.filter(pk=priority.pk).update(updated_at=NOW - 21 * 24 * HOUR)
    AssignmentFactory(
        neighbourhood=area,
        role=Assignment.Role.NAMED_OFFICER,
        start_date=datetime.date(2025, 3, 14),
    )
    return area


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_the_neighbourhood_page_shows_the_teams_scorecard(client, team):
    refresh_public_scorecards()

    page = text(client.get(team.get_absolute_url()))

    assert (
        "In the last 90 days this team answered 47 of 50 queries within 72 hours (94%); "
        "the typical answer took 19 hours." in page
    )
    assert "Last beat meeting: 12 days ago; next: Tuesday 8 December at 7pm." in page
    assert "Priorities last updated: 3 weeks ago." in page
    assert "Named officer: since March 2025." in page
    assert "Figures as of midday." in page
    assert SECRET_WORDS not in client.get(team.get_absolute_url()).content.decode()


def test_each_figure_links_to_how_it_is_counted(client, team):
    refresh_public_scorecards()

    html = client.get(team.get_absolute_url()).content.decode()
    explained = client.get("/performance/how-we-count/").content.decode()

    anchors = {
        href.removeprefix("/performance/how-we-count/#")
        for href in hrefs(html)
        if href.startswith("/performance/how-we-count/#")
    }
    assert anchors == {
        "within-target",
        "typical-time",
        "beat-meetings",
        "priorities",
        "named-officer",
    }
    for anchor in anchors:
        assert element(explained, "*", id=anchor)


def test_a_team_with_four_queries_shows_no_share(client, settings):
    area = NeighbourhoodFactory()
    for n in range(4):
        answered(area, london(2026, 11, 2, 9) + n * HOUR, 2)
    refresh_public_scorecards()

    page = text(client.get(area.get_absolute_url()))

    assert "this team had fewer than 5 queries to answer, too few to give a share" in page
    assert "%" not in page.split("How this team keeps its promises")[1].split("Figures as of")[0]


def test_the_panel_waits_for_the_figures_without_reading_the_database(
    client, team, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        page = text(client.get(team.get_absolute_url()))

    assert "This team\u2019s figures are being worked out." in page


def test_the_panel_reads_the_refreshed_figures_within_the_pages_queries(
    client, team, django_assert_max_num_queries
):
    refresh_public_scorecards()

    with django_assert_max_num_queries(7):
        page = text(client.get(team.get_absolute_url()))

    assert "answered 47 of 50 queries" in page


def test_the_rule_for_small_numbers_is_on_the_how_we_count_page(client, settings):
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 5

    page = text(client.get("/performance/how-we-count/"))

    assert "When fewer than 5 queries are counted, we say only “fewer than 5 queries”" in page


def test_the_force_page_gives_the_force_figures_and_each_month(client, team):
    page = text(client.get("/performance/"))

    assert "the teams answered 47 of 50 queries within 72 hours (94%)" in page
    assert "December 2025" in page and "November 2026" in page
    assert "October 2026 50 47 (94%) 19 hours" in page
    assert "September 2026 Fewer than 5 queries Not shown Not shown" in page
    assert SECRET_WORDS not in page


def test_the_division_page_is_found_by_its_slug(client, team):
    NeighbourhoodFactory(name="Alvaston", division=DivisionFactory(name="County"))

    page = text(client.get("/performance/city/"))

    assert "How the City division keeps the Neighbourhood Policing Guarantee" in page
    assert "Normanton" in page
    assert "Alvaston" not in page


def test_the_force_page_leads_to_the_quarterly_reports_which_no_division_hides(client, team):
    DivisionFactory(name="Reports")

    page = client.get("/performance/")
    reports = client.get("/performance/reports/")

    assertContains(
        page,
        '<a class="govuk-link" href="/performance/reports/">read the quarterly reports</a>',
        html=True,
    )
    assert "Neighbourhood Policing Guarantee: quarterly reports" in text(reports)


@pytest.mark.parametrize(
    ("path", "patrols"), [("/performance/", "/patrols/"), ("/performance/city/", "/patrols/city/")]
)
def test_the_performance_pages_lead_to_the_areas_hotspot_patrols(client, team, path, patrols):
    response = client.get(path)
    assertContains(
        response,
        '<p class="govuk-body" id="performance-patrols">Officers also patrol the places where '
        "residents report the most anti-social behaviour: "
        f'<a class="govuk-link" href="{patrols}">how long they spent there each month, and '
        "what came of it</a>.</p>",
        html=True,
    )


def test_an_unknown_division_is_a_404(client):
    response = client.get("/performance/nowhere/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_neighbourhoods_sort_by_links_without_javascript(client, team):
    quiet = NeighbourhoodFactory(name="Abbey", division=team.division)
    busy = NeighbourhoodFactory(name="Zouch", division=team.division)
    for n in range(6):
        answered(busy, london(2026, 11, 2, 9) + n * HOUR, 2)

    by_name = client.get("/performance/city/").content.decode()
    by_share = client.get("/performance/city/?sort=-share").content.decode()

    assert by_name.index(quiet.name) < by_name.index("Normanton") < by_name.index(busy.name)
    sorted_by = element(by_name, "th", aria_sort="ascending")
    assert element(sorted_by, "a", class_="govuk-link", href="?sort=-name#compare")
    # Zouch 100%, Normanton 94%, then Abbey with too few to show.
    assert by_share.index(busy.name) < by_share.index("Normanton") < by_share.index(quiet.name)
    sorted_by = element(by_share, "th", aria_sort="descending")
    assert element(sorted_by, "a", class_="govuk-link", href="?sort=share#compare")
    assert "Before you compare" in by_share


def test_an_unknown_sort_is_the_default(client, team):
    response = client.get("/performance/?sort=%00nonsense")

    assert response.status_code == 200
    assert elements(response, "th", aria_sort="ascending")


def test_the_pages_work_the_figures_out_when_the_cache_is_down(client, team, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    force = text(client.get("/performance/"))
    area = client.get(team.get_absolute_url())

    assert "answered 47 of 50 queries" in force
    assert area.status_code == 200
    assert "This team\u2019s figures are being worked out." in text(area)


def test_the_refresh_keeps_every_scorecard(team):
    assert refresh_public_scorecards() == 3  # the force, the City division, Normanton

    card = public.cached_neighbourhood_scorecard("normanton")
    assert (card.figures.queries, card.figures.met) == (50, 47)


def test_the_performance_pages_read_the_cache_after_the_refresh(
    client, team, django_assert_max_num_queries
):
    refresh_public_scorecards()

    with django_assert_max_num_queries(1):
        force = client.get("/performance/")
    with django_assert_max_num_queries(2):
        division = client.get("/performance/city/")

    assert "answered 47 of 50 queries" in text(force)
    assert "answered 47 of 50 queries" in text(division)


def test_a_cold_performance_page_runs_a_fixed_number_of_queries(
    client, team, django_assert_max_num_queries
):
    for _ in range(30):
        area = NeighbourhoodFactory(division=team.division)
        answered(area, london(2026, 11, 2, 9), 3)

    # The division, its neighbourhoods, then the staff dashboard's statements: the 90 days'
    # figures and neighbourhood table, and each of 12 months' figures.
    with django_assert_max_num_queries(60):
        page = text(client.get("/performance/city/"))

    assert page.count("Fewer than 5 queries") >= 30
