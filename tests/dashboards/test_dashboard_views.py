"""The dashboard's pages through the test client: filters in the URL, the panels, the htmx
fragment, the drill-down, every refusal, and a fixed number of SQL statements.

"Now" is Monday 28 September 2026, midday in London, so the default period (the last 28
days) is 1 to 28 September 2026."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML

from config.dates import LONDON
from dashboards.charts import trend_chart
from dashboards.display import duration_text, period_text, share_percent, share_text
from dashboards.selectors.sla import WeekRow
from officers.models import Assignment
from queries import clock
from queries.models import Query
from tests.factories import AssignmentFactory, DivisionFactory, NeighbourhoodFactory, OfficerFactory
from tests.html import checked, element, elements, hrefs, links, title, value
from tests.queries.factories import QueryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 9, 28, 12, 0, tzinfo=LONDON)
HOUR = datetime.timedelta(hours=1)
INDEX = "/staff/dashboard/"
DRILLDOWN = "/staff/dashboard/queries/"
EXPORT = "/staff/dashboard/export/neighbourhoods.csv"
# Every page of the dashboard, each refusal is tested on all three.
PAGES = [INDEX, f"{DRILLDOWN}?figure=breached", EXPORT]
RESIDENT = {
    "name": "Winifred Oakes",
    "email": "winifred.oakes@example.com",
    "phone": "01632 960 001",
    "message": "Someone keeps parking across my drive on Ashbourne Road.",
}
# The statements the dashboard page runs, whatever the number of queries: the session and
# user, the roles, the scopes the user may choose and the one asked for, and the figures.
PAGE_QUERY_BOUND = 20


@pytest.fixture
def force():
    north = DivisionFactory(name="Derby North", slug="derby-north")
    south = DivisionFactory(name="Derby South", slug="derby-south")
    return SimpleNamespace(
        north=north,
        south=south,
        normanton=NeighbourhoodFactory(name="Normanton", slug="normanton", division=north),
        arboretum=NeighbourhoodFactory(name="Arboretum", slug="arboretum", division=north),
        alvaston=NeighbourhoodFactory(name="Alvaston", slug="alvaston", division=south),
    )


@pytest.fixture
def sergeant(supervisor_account, force):
    """The sergeant of both of Derby North's neighbourhoods."""
    officer = OfficerFactory(user=supervisor_account, display_name="Mark Riley")
    for area in (force.normanton, force.arboretum):
        AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.SERGEANT)
    return supervisor_account


@pytest.fixture
def constable(officer_account, force):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=officer, neighbourhood=force.normanton)
    return officer_account


def url(path: str, **params: str) -> str:
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode(params)}" if params else path


def sent(area, hours_ago: float, **fields) -> Query:
    """A query sent `hours_ago` hours before now: due 72 hours after it was sent."""
    return QueryFactory(neighbourhood=area, submitted_at=NOW - hours_ago * HOUR, **fields)


def answer(query: Query, after_hours: float) -> None:
    """The first reply, `after_hours` after the query was sent."""
    when = query.submitted_at + after_hours * HOUR
    clock.stop(query, when, query.assigned_officer)
    query.save()
    clock.record_answer(query, when)


def page_text(response) -> str:
    """The visible words of a page, with the markup and extra spaces taken out."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", text)


# --- Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/?next=")


@pytest.mark.parametrize("path", PAGES)
def test_account_without_a_role_is_refused(client, make_account, force, path):
    client.force_login(make_account())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_officer_asking_for_the_force_is_refused(client, constable, path):
    client.force_login(constable)
    response = client.get(url(path, scope="force"))
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_sergeant_asking_for_another_division_is_refused(client, sergeant, path):
    client.force_login(sergeant)
    assert client.get(url(path, scope="division:derby-south")).status_code == 403


# Each page, with what it shows of a breached query in Normanton (Derby North) and of one in
# Alvaston (Derby South): the neighbourhoods' rows, or the queries' references.
SHOWN = [
    (f"{DRILLDOWN}?figure=breached", "DY-NORT-001", "DY-SOUT-001"),
    (EXPORT, "Normanton", "Alvaston"),
]


def shown(response) -> str:
    """The words a dashboard page shows, or the text of its CSV file."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return page_text(response)


@pytest.fixture
def breached_north_and_south(force):
    sent(force.normanton, 80, reference="DY-NORT-001")
    sent(force.alvaston, 80, reference="DY-SOUT-001")


@pytest.mark.parametrize(("path", "north", "south"), SHOWN)
def test_sergeant_sees_their_own_division(
    client, sergeant, breached_north_and_south, path, north, south
):
    client.force_login(sergeant)
    response = client.get(url(path, scope="division:derby-north"))

    assert response.status_code == 200
    seen = shown(response)
    assert north in seen
    assert south not in seen


def test_sergeant_s_dashboard_lists_only_their_own_division_s_neighbourhoods(
    client, sergeant, breached_north_and_south
):
    client.force_login(sergeant)
    response = client.get(url(INDEX, scope="division:derby-north"))

    assert response.status_code == 200
    assert "Division: Derby North" in page_text(response)
    assert "Normanton" in page_text(response)
    assert "Alvaston" not in page_text(response)


@pytest.mark.parametrize(("path", "north", "south"), SHOWN)
def test_opcc_may_ask_for_the_whole_force(
    client, opcc_account, force, breached_north_and_south, path, north, south
):
    client.force_login(opcc_account)
    response = client.get(url(path, scope="force"))

    assert response.status_code == 200
    seen = shown(response)
    assert north in seen
    assert south in seen


@pytest.mark.parametrize("path", PAGES)
def test_officer_may_not_ask_for_their_neighbourhood_s_figures(client, constable, path):
    client.force_login(constable)
    response = client.get(url(path, scope="neighbourhood:normanton"))
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_officer_sees_only_their_own_figures(client, constable, force):
    """Their own query counts; a colleague's in the same neighbourhood does not."""
    sent(force.normanton, 80, reference="DY-MINE-001", assigned_officer=constable.officer)
    sent(force.normanton, 80, reference="DY-THEM-001", assigned_officer=OfficerFactory())
    client.force_login(constable)

    response = client.get(url(DRILLDOWN, figure="breached"))

    assert response.status_code == 200
    assert f"Officer: {constable.officer}" in page_text(response)
    assert "DY-MINE-001" in page_text(response)
    assert "DY-THEM-001" not in page_text(response)


# --- The page -----------------------------------------------------------------------------------


def test_opcc_sees_the_force_over_the_last_28_days_by_default(client, opcc_account, force):
    client.force_login(opcc_account)
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Derbyshire Constabulary (demo), 1 September to 28 September 2026" in page_text(response)


def test_scope_and_period_come_from_the_url(client, opcc_account, force):
    client.force_login(opcc_account)
    response = client.get(url(INDEX, scope="division:derby-north", period="90"))
    assert "Division: Derby North, 1 July to 28 September 2026" in page_text(response)


def test_chosen_dates_are_the_period(client, opcc_account, force):
    client.force_login(opcc_account)
    response = client.get(url(INDEX, **dates(("1", "12", "2025"), ("28", "2", "2026"))))
    assert "1 December 2025 to 28 February 2026" in page_text(response)


def test_links_with_dates_made_before_the_day_month_and_year_boxes_still_work(
    client, opcc_account, force
):
    client.force_login(opcc_account)

    response = client.get(url(INDEX, period="custom", **{"from": "2025-12-01", "to": "2026-02-28"}))

    assert "1 December 2025 to 28 February 2026" in page_text(response)
    html = response.content.decode()
    for name, (day, month, year) in (("from", ("1", "12", "2025")), ("to", ("28", "2", "2026"))):
        assert value(html, f"{name}_day") == day
        assert value(html, f"{name}_month") == month
        assert value(html, f"{name}_year") == year


def test_the_period_s_dates_are_day_month_and_year_boxes(client, opcc_account, force):
    client.force_login(opcc_account)
    html = client.get(INDEX).content.decode()
    assertInHTML(
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">From date</legend>',
        html,
    )
    assert not elements(html, "input", type="date")
    for name in ("from", "to"):
        for part in ("day", "month", "year"):
            assert element(html, "input", type="text", name=f"{name}_{part}")


def test_filters_show_what_the_figures_are_for(client, opcc_account, force):
    client.force_login(opcc_account)
    html = client.get(url(INDEX, scope="division:derby-north", period="90")).content.decode()
    assert value(html, "scope") == "division:derby-north"
    assert checked(html, "period") == ["90"]
    assert elements(html, "optgroup", label="Divisions")


def test_figures_link_to_the_queries_behind_them(client, opcc_account, force):
    client.force_login(opcc_account)
    sent(force.normanton, 80)
    html = client.get(url(INDEX, scope="division:derby-north")).content.decode()
    breached = "/staff/dashboard/queries/?scope=division%3Aderby-north&period=28&figure=breached"
    # The figure is the link, with words for a screen reader hidden after it.
    assert element(html, "a", href=breached).text.split()[0] == "1"


def test_times_are_in_hours_and_minutes(client, opcc_account, force):
    client.force_login(opcc_account)
    answer(sent(force.normanton, 100), 41.2)
    assert "41 hours 12 minutes" in page_text(client.get(INDEX))


def test_shares_are_whole_percentages(client, opcc_account, force):
    client.force_login(opcc_account)
    # Two met, one missed: 66.7% within the target.
    for hours in (10, 20, 80):
        answer(sent(force.normanton, 200), hours)
    text = page_text(client.get(INDEX))
    assert "Answered within the target 67%" in text
    assert "2 met, 1 missed" in text


def test_help_text_states_whose_figure_it_is(client, opcc_account, force):
    client.force_login(opcc_account)
    assert (
        "A figure belongs to the neighbourhood the query was sent to; an officer\u2019s figures "
        "count the queries they held when each was answered (and, for open ones, now)."
    ) in page_text(client.get(INDEX))


def test_trend_chart_is_an_image_named_by_its_caption(client, opcc_account, force):
    client.force_login(opcc_account)
    sent(force.normanton, 30)
    html = client.get(INDEX).content.decode()
    assert element(html, "svg", role="img", aria_labelledby="trend-caption")
    caption = element(html, "figcaption", id="trend-caption").text
    assert "5 weeks from the week starting 31 August 2026" in caption
    assert not elements(html, "*", style=True)


def test_trend_table_has_a_row_for_each_week(client, opcc_account, force):
    client.force_login(opcc_account)
    text = page_text(client.get(INDEX))
    for week in ("31 August 2026", "7 September 2026", "14 September 2026", "28 September 2026"):
        assert f"{week} 0 0 0 0 No data" in text


def test_neighbourhoods_link_to_their_own_figures(client, opcc_account, force):
    client.force_login(opcc_account)
    html = client.get(INDEX).content.decode()
    assert ("Alvaston", "?scope=neighbourhood%3Aalvaston&period=28") in links(html)


def test_guarantee_panel_says_when_no_abstractions_are_logged(client, opcc_account, force):
    client.force_login(opcc_account)
    text = page_text(client.get(INDEX))
    assert "Neighbourhoods 3" in text
    assert "With a current named officer 0 of 3 (0%)" in text
    assert "No abstractions in the last 28 days" in text


def test_every_table_offers_its_csv_with_the_same_filters(client, opcc_account, force):
    client.force_login(opcc_account)
    html = client.get(url(INDEX, scope="division:derby-north", period="7")).content.decode()
    for table in ("figures", "trend", "neighbourhoods", "topics", "guarantee"):
        assert (
            f"/staff/dashboard/export/{table}.csv?scope=division%3Aderby-north&period=7"
        ) in hrefs(html)


def test_htmx_request_gets_only_the_panels(client, opcc_account, force):
    client.force_login(opcc_account)
    response = client.get(url(INDEX, period="7"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert not elements(html, "html")
    assert element(html, "div", id="dashboard-panels")
    assert elements(html, "*", hx_swap_oob="true")
    assert "HX-Request" in response["Vary"]


def test_page_has_the_form_that_updates_the_panels_with_htmx(client, opcc_account, force):
    client.force_login(opcc_account)
    html = client.get(INDEX).content.decode()
    form = element(html, "form", method="get", action="/staff/dashboard/")
    assert form.attrs["hx-target"] == "#dashboard-panels"
    assert form.attrs["hx-push-url"] == "true"
    assert not elements(html, "*", hx_swap_oob=True)


def test_staff_home_links_opcc_to_the_dashboard(client, opcc_account):
    client.force_login(opcc_account)
    html = client.get("/staff/").content.decode()
    assertInHTML(
        '<a class="govuk-link" href="/staff/dashboard/">SLA and Guarantee dashboard</a>', html
    )


def test_staff_home_has_no_dashboard_link_for_an_account_without_a_role(client, make_account):
    client.force_login(make_account())
    assert "SLA and Guarantee dashboard" not in client.get("/staff/").content.decode()


# --- Bad filters ----------------------------------------------------------------------------------


def dates(first: tuple[str, str, str], last: tuple[str, str, str]) -> dict[str, str]:
    """The period "Choose dates", from `first` to `last` typed as (day, month, year)."""
    params = {"period": "custom"}
    for name, boxes in (("from", first), ("to", last)):
        params.update(zip((f"{name}_day", f"{name}_month", f"{name}_year"), boxes, strict=True))
    return params


MARCH_1 = ("1", "3", "2026")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dates(("30", "2", "2026"), MARCH_1), "The from date must be a real date"),
        (dates(("1", "", "2026"), MARCH_1), "The from date must include a month"),
        (dates(("", "", ""), MARCH_1), "Enter the from date"),
        (dates(("2", "3", "2026"), MARCH_1), "The to date must be the same as or after the from"),
        (
            dates(("1", "9", "2026"), ("1", "10", "2026")),
            "The to date must be today or in the past",
        ),
        (dates(("1", "1", "2023"), MARCH_1), "The period can be at most 3 years long"),
        ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "must be a real date"),
        ({"period": "fortnight"}, "Choose a period from the list"),
        ({"scope": "everything"}, "Choose what to show figures for from the list"),
    ],
)
def test_bad_filters_are_shown_in_the_error_summary(client, opcc_account, force, params, message):
    client.force_login(opcc_account)
    response = client.get(url(INDEX, **params))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    summary = element(html, "div", class_="govuk-error-summary")
    assert any(
        message in link.text and re.fullmatch(r"#id_\w+", link.attrs["href"])
        for link in elements(summary, "a")
        if link.parent.tag == "li"
    )
    assert title(html).startswith("Error: ")
    assert "Responses to residents" not in html


@pytest.mark.parametrize("typed", [{"from": "nonsense"}, {"from_day": "nonsense", "to_year": "26"}])
def test_dates_count_only_when_choose_dates_is_the_period(client, opcc_account, force, typed):
    client.force_login(opcc_account)
    response = client.get(url(INDEX, period="7", **typed))
    assert "22 September to 28 September 2026" in page_text(response)


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-09-10", "to": "2026-09-12"},
        {k: v for k, v in dates(("10", "9", "2026"), ("12", "9", "2026")).items() if k != "period"},
    ],
)
def test_dates_without_a_period_are_chosen_dates(client, opcc_account, force, params):
    client.force_login(opcc_account)
    response = client.get(url(INDEX, **params))
    assert "10 September to 12 September 2026" in page_text(response)


def test_bad_filters_in_an_htmx_request_load_the_whole_page(client, opcc_account, force):
    client.force_login(opcc_account)
    path = url(INDEX, period="custom", **{"from": "2026-09-10"})
    response = client.get(path, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == path


def test_drilldown_with_bad_filters_says_what_is_wrong(client, opcc_account, force):
    client.force_login(opcc_account)
    response = client.get(url(DRILLDOWN, figure="met", period="custom", to="2026-01-01"))
    assert response.status_code == 400
    assert "Enter the from date" in page_text(response)


# --- Drill-down ---------------------------------------------------------------------------------


def test_drilldown_lists_the_queries_behind_the_figure(client, opcc_account, force):
    client.force_login(opcc_account)
    late = sent(force.normanton, 80, reference="DY-LATE-001")
    on_time = sent(force.normanton, 10, reference="DY-NEW-0001")
    response = client.get(url(DRILLDOWN, figure="breached"))
    text = page_text(response)
    assert "Queries breached and still open" in text
    assert "1 query, the most recently sent first" in text
    assert late.reference in text
    assert on_time.reference not in text


def test_drilldown_says_now_for_figures_that_do_not_depend_on_the_period(
    client, opcc_account, force
):
    client.force_login(opcc_account)
    text = page_text(client.get(url(DRILLDOWN, figure="open", scope="division:derby-north")))
    assert "Division: Derby North, now" in text


@pytest.mark.parametrize("user", ["opcc_account", "administrator_account"])
def test_drilldown_shows_no_resident_details_to_anyone(client, force, request, user):
    client.force_login(request.getfixturevalue(user))
    sent(force.normanton, 80, reference="DY-SEEN-001", **RESIDENT)
    html = client.get(url(DRILLDOWN, figure="breached")).content.decode()
    assert "DY-SEEN-001" in html
    for detail in RESIDENT.values():
        assert detail not in html


def test_drilldown_links_the_queries_the_user_may_read(client, opcc_account, force):
    client.force_login(opcc_account)
    sent(force.normanton, 80, reference="DY-LINK-001")
    html = client.get(url(DRILLDOWN, figure="breached")).content.decode()
    assertInHTML('<a class="govuk-link" href="/staff/queries/DY-LINK-001/">DY-LINK-001</a>', html)


def test_drilldown_does_not_link_a_query_the_officer_may_no_longer_read(client, constable, force):
    """The constable answered it, then it moved to another neighbourhood's officer: it counts
    in their figures, but its page is no longer theirs to read."""
    client.force_login(constable)
    mine = constable.officer
    query = sent(force.alvaston, 50, reference="DY-GONE-001", assigned_officer=mine)
    answer(query, 10)
    Query.objects.filter(pk=query.pk).update(assigned_officer=OfficerFactory())
    html = client.get(url(DRILLDOWN, figure="answered")).content.decode()
    assert "DY-GONE-001" in html
    assert "/staff/queries/DY-GONE-001/" not in hrefs(html)


@pytest.mark.parametrize("figure", ["", "everything", "share"])
def test_unknown_figure_is_a_clear_message(client, opcc_account, force, figure):
    client.force_login(opcc_account)
    response = client.get(url(DRILLDOWN, figure=figure))
    assert response.status_code == 400
    assert "There is no such figure" in page_text(response)


def test_drilldown_page_that_does_not_exist_is_a_clear_message(client, opcc_account, force):
    client.force_login(opcc_account)
    response = client.get(url(DRILLDOWN, figure="breached", page="7"))
    assert response.status_code == 404
    assert "There is no page 7 in this list" in page_text(response)


def test_drilldown_runs_a_bounded_number_of_statements(
    client, opcc_account, force, django_assert_max_num_queries
):
    client.force_login(opcc_account)
    areas = [force.normanton, force.arboretum, force.alvaston]
    for number in range(300):
        sent(areas[number % 3], 80 + number, assigned_officer=OfficerFactory())
    with django_assert_max_num_queries(10):
        response = client.get(url(DRILLDOWN, figure="breached"))
    assert response.status_code == 200
    assert "300 queries" in page_text(response)


# --- The page's statements ----------------------------------------------------------------------


def _page_statements(client) -> int:
    with CaptureQueriesContext(connection) as statements:
        assert client.get(INDEX).status_code == 200
    return len(statements)


def _queries_everywhere(force, count: int) -> None:
    areas = [force.normanton, force.arboretum, force.alvaston]
    for number in range(count):
        query = sent(areas[number % 3], number % 700, assigned_officer=OfficerFactory())
        if number % 2:
            answer(query, number % 90)


@pytest.mark.parametrize("count", [20, 500])
def test_page_runs_a_fixed_number_of_statements(
    client, opcc_account, force, django_assert_max_num_queries, count
):
    client.force_login(opcc_account)
    _queries_everywhere(force, count)
    with django_assert_max_num_queries(PAGE_QUERY_BOUND):
        response = client.get(INDEX)
    assert response.status_code == 200
    assert "SLA and Guarantee dashboard" in page_text(response)


def test_page_statements_do_not_grow_with_the_queries(client, opcc_account, force):
    client.force_login(opcc_account)
    _queries_everywhere(force, 20)
    few = _page_statements(client)
    _queries_everywhere(force, 200)
    assert _page_statements(client) == few


# --- Words for numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "No data"),
        (30, "less than a minute"),
        (60, "1 minute"),
        (3600, "1 hour"),
        (41 * 3600 + 12 * 60 + 59, "41 hours 12 minutes"),
        (72 * 3600, "72 hours"),
    ],
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("share", "percent"),
    [(None, None), (0.0, 0), (0.004, 1), (0.5, 50), (0.675, 68), (0.996, 99), (1.0, 100)],
)
def test_share_is_rounded_but_never_to_all_or_nothing_wrongly(share, percent):
    assert share_percent(share) == percent


def test_share_without_decided_responses_is_no_data():
    assert share_text(None) == "No data"


def test_period_across_years_names_both():
    period = SimpleNamespace(
        first_day=datetime.date(2025, 12, 1), last_day=datetime.date(2026, 2, 28)
    )
    assert period_text(period) == "1 December 2025 to 28 February 2026"


def week(number: int, due: int, share: float | None) -> WeekRow:
    start = datetime.date(2026, 8, 31) + datetime.timedelta(weeks=number)
    return WeekRow(start, due, due, 0, 0, share)


def test_chart_line_breaks_at_a_week_with_nothing_decided():
    chart = trend_chart([week(0, 4, 0.5), week(1, 0, None), week(2, 3, 1.0), week(3, 2, 0.5)])
    assert len(chart.points) == 3
    # The first week's marker stands alone; the last two weeks are joined.
    assert chart.lines == [
        f"{chart.points[1][0]},{chart.points[1][1]} {chart.points[2][0]},{chart.points[2][1]}"
    ]


def test_chart_volume_scale_ends_on_a_round_number():
    chart = trend_chart([week(0, 13, None), week(1, 2, None)])
    assert [tick.label for tick in chart.volume_ticks] == ["0", "5", "10", "15", "20"]


def test_breached_drilldown_reads_one_page_and_takes_its_number_from_the_running_counts(
    client, opcc_account, force
):
    """The list is read a page at a time, newest first, and its number comes from the
    running counts kept with the clocks: no statement counts or sorts every breached query."""
    client.force_login(opcc_account)
    areas = [force.normanton, force.arboretum, force.alvaston]
    for number in range(60):
        sent(areas[number % 3], 80 + number, reference=f"DY-BRCH-{number:03d}")
    sent(force.normanton, 10, reference="DY-NOTDUE-01")
    with CaptureQueriesContext(connection) as statements:
        response = client.get(url(DRILLDOWN, figure="breached", page="2"))
    text = page_text(response)
    assert "60 queries, the most recently sent first" in text
    # Page 2 of 50 a page: the ten sent longest ago.
    assert [f"DY-BRCH-{number:03d}" for number in range(50, 60)] == re.findall(
        r"DY-BRCH-\d{3}", text
    )
    read = [s["sql"] for s in statements.captured_queries if 'FROM "queries_query"' in s["sql"]]
    assert not [sql for sql in read if "COUNT(" in sql.upper()]
    (listed,) = [sql for sql in read if "queries_responseclock" in sql]
    assert listed.endswith("LIMIT 10 OFFSET 50")
