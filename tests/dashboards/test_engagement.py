"""The neighbourhood engagement panel, on a fixture small enough to count by hand: queries per
1,000 residents, satisfaction, meeting attendance, alert subscribers and survey answers per
neighbourhood, sorted by any column; who may see it; and a fixed number of statements."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.models import Subscriber
from config.dates import LONDON
from config.roles import Role
from dashboards.periods import period_for
from dashboards.selectors.engagement import engagement_table
from engagement.models import Survey, SurveyOption, SurveyResponse
from meetings.models import Event, Outcome
from officers.scopes import Scope
from queries import clock
from queries.models import QueryEvent, ResponseClock
from queries.services.feedback import answer_feedback_give
from tests.factories import (
    AssignmentFactory,
    DivisionFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
)
from tests.html import element, elements, hrefs
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

FORCE = Scope(key="force", label="Derbyshire Constabulary (demo)", neighbourhood_ids=None)
FEBRUARY = period_for(
    preset="custom",
    first_day=datetime.date(2026, 2, 2),
    last_day=datetime.date(2026, 3, 1),
    today=datetime.date(2026, 3, 1),
)
NOW = datetime.datetime(2026, 3, 2, 12, tzinfo=LONDON)
PAGE = "/staff/dashboard/engagement/"
EXPORT = "/staff/dashboard/engagement/export.csv"
PERIOD = {"period": "custom", "from": "2026-02-02", "to": "2026-03-01"}


def at(month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=LONDON)


def queries(area, count, when=None):
    return [QueryFactory(neighbourhood=area, submitted_at=when or at(2, 9)) for _ in range(count)]


def rate(query, rating, when):
    reply = QueryEvent.objects.create(query=query, kind="reply", created_at=when)
    clock.stop(query, when, None)
    query.save()
    clock.record_answer(query, when, answer=reply)
    answer = ResponseClock.objects.get(query=query, number=1)
    answer_feedback_give(clock=answer, rating=rating, comment="", now=when)


def meeting(area, ended, attendance, status=Event.Status.SCHEDULED):
    event = EventFactory(
        neighbourhood=area, starts_at=ended - datetime.timedelta(hours=1), ends_at=ended
    )
    Event.objects.filter(pk=event.pk).update(status=status)
    Outcome.objects.create(event=event, attendance=attendance, summary="Held.")


def subscriber(email, areas, *, confirmed=True, unsubscribed=False):
    person = Subscriber.objects.create(
        email=email,
        confirmed_at=at(1, 5) if confirmed else None,
        unsubscribed_at=at(1, 6) if unsubscribed else None,
    )
    person.neighbourhoods.set(areas)


def survey_answers(area, confirmed_days):
    survey = Survey.objects.create(
        neighbourhood=area, opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 3, 1)
    )
    option = SurveyOption.objects.create(survey=survey, label="Speeding")
    for n, when in enumerate(confirmed_days):
        SurveyResponse.objects.create(
            survey=survey,
            option=option,
            email_hash=f"{area.pk}-{n}",
            confirm_token_hash=f"{area.pk}-token-{n}",
            confirmed_at=when,
        )


@pytest.fixture
def areas():
    """Normanton (8,000 people): 4 queries in February and 1 in January; 2 answers rated,
    yes and no; a meeting on 10 Feb attended by 12, a cancelled one on 12 Feb with 99 and one
    on 20 Jan with 30; 3 subscribers now (of 5 sign-ups: one unconfirmed, one unsubscribed);
    2 survey answers confirmed in February (one more in January, one never confirmed).
    Allenton (2,000 people): 3 queries, no ratings, no meetings, 1 subscriber (also in
    Normanton's 3). Chaddesden (population not known): 5 queries, nothing else."""
    south = DivisionFactory(name="Derby South", slug="derby-south")
    normanton = NeighbourhoodFactory(
        name="Normanton", slug="normanton", division=south, population=8000
    )
    allenton = NeighbourhoodFactory(
        name="Allenton", slug="allenton", division=south, population=2000
    )
    chaddesden = NeighbourhoodFactory(name="Chaddesden", slug="chaddesden", population=None)
    sent = queries(normanton, 4)
    queries(normanton, 1, when=at(1, 20))
    rate(sent[0], "yes", at(2, 10))
    rate(sent[1], "no", at(2, 11))
    queries(allenton, 3)
    queries(chaddesden, 5)
    meeting(normanton, at(2, 10, 20), 12)
    meeting(normanton, at(2, 12, 20), 99, status=Event.Status.CANCELLED)
    meeting(normanton, at(1, 20, 20), 30)
    subscriber("a@example.com", [normanton, allenton])
    subscriber("b@example.com", [normanton])
    subscriber("c@example.com", [normanton])
    subscriber("d@example.com", [normanton], confirmed=False)
    subscriber("e@example.com", [normanton], unsubscribed=True)
    survey_answers(normanton, [at(2, 3), at(2, 4), at(1, 10), None])
    return normanton, allenton, chaddesden


def test_each_neighbourhoods_engagement_worked_by_hand(areas):
    rows = {row.name: row for row in engagement_table(scope=FORCE, period=FEBRUARY)}

    normanton, allenton, chaddesden = rows["Normanton"], rows["Allenton"], rows["Chaddesden"]
    # 4 queries * 1000 / 8000 = 0.5; 3 * 1000 / 2000 = 1.5; no population: None.
    assert (normanton.queries_sent, normanton.per_thousand) == (4, 0.5)
    assert (allenton.queries_sent, allenton.per_thousand) == (3, 1.5)
    assert (chaddesden.queries_sent, chaddesden.per_thousand) == (5, None)
    assert (normanton.rated, normanton.yes, normanton.satisfied) == (2, 1, 0.5)
    assert (allenton.rated, allenton.satisfied) == (0, None)
    assert (normanton.meetings, normanton.attendance) == (1, 12)
    assert (allenton.meetings, allenton.attendance) == (0, 0)
    assert (
        normanton.alert_subscribers,
        allenton.alert_subscribers,
        chaddesden.alert_subscribers,
    ) == (3, 1, 0)
    assert (normanton.survey_answers, allenton.survey_answers) == (2, 0)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", ["Normanton", "Allenton", "Chaddesden"]),
        ("per_thousand", ["Normanton", "Allenton", "Chaddesden"]),
        ("-per_thousand", ["Allenton", "Normanton", "Chaddesden"]),
        ("name", ["Allenton", "Chaddesden", "Normanton"]),
        ("-subscribers", ["Normanton", "Allenton", "Chaddesden"]),
        ("queries", ["Allenton", "Normanton", "Chaddesden"]),
        ("-population", ["Normanton", "Allenton", "Chaddesden"]),
        ("nonsense", ["Normanton", "Allenton", "Chaddesden"]),
    ],
)
def test_the_table_sorts_by_any_column_with_unknown_populations_last(areas, sort, order):
    rows = engagement_table(scope=FORCE, period=FEBRUARY, sort=sort)
    assert [row.name for row in rows] == order


def test_the_page_sorts_with_header_links_and_says_which_column_is_sorted(
    client, opcc_account, areas
):
    client.force_login(opcc_account)
    with time_machine.travel(NOW, tick=False):
        page = client.get(PAGE, {**PERIOD, "sort": "-subscribers"}).content.decode()

    by_label = {
        header.text: (header.attrs["aria-sort"], element(header, "a").attrs["href"])
        for header in elements(page, "th", scope="col", aria_sort=True)
    }
    assert by_label["Alert subscribers"][0] == "descending"
    assert "sort=subscribers" in by_label["Alert subscribers"][1]
    assert by_label["Queries per 1,000 residents"][0] == "none"
    assert "sort=per_thousand" in by_label["Queries per 1,000 residents"][1]
    names = [
        header.own_text
        for header in elements(page, "th", data_label="Neighbourhood", class_="govuk-table__header")
    ]
    assert names == ["Normanton", "Allenton", "Chaddesden"]
    assert "not known" in page
    assert "12 at 1 meeting" in page


def test_the_csv_has_the_same_figures(client, opcc_account, areas):
    client.force_login(opcc_account)
    with time_machine.travel(NOW, tick=False):
        response = client.get(EXPORT, PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[0][:5] == [
        "Neighbourhood",
        "Division",
        "Population",
        "Queries",
        "Queries per 1,000 residents",
    ]
    assert rows[1] == [
        "Normanton",
        "Derby South",
        "8000",
        "4",
        "0.5",
        "2",
        "1",
        "50",
        "1",
        "12",
        "3",
        "2",
    ]
    assert rows[3][0] == "Chaddesden"
    assert rows[3][2:5] == ["", "5", ""]


def test_an_officer_is_refused_and_a_supervisor_sees_only_their_neighbourhoods(
    client, make_account, areas
):
    normanton, _, _ = areas
    officer = make_account(Role.OFFICER)
    since = datetime.date(2026, 1, 1)
    AssignmentFactory(
        officer=OfficerFactory(user=officer), neighbourhood=normanton, start_date=since
    )
    sergeant = make_account(Role.OFFICER, Role.SUPERVISOR)
    AssignmentFactory(
        officer=OfficerFactory(user=sergeant, rank="Sgt"),
        neighbourhood=normanton,
        role="sergeant",
        start_date=since,
    )

    client.force_login(officer)
    with time_machine.travel(NOW, tick=False):
        refused = [client.get(PAGE).status_code, client.get(EXPORT).status_code]
        client.force_login(sergeant)
        page = client.get(PAGE, PERIOD).content.decode()
        other = client.get(PAGE, {**PERIOD, "scope": "neighbourhood:allenton"}).status_code

    assert refused == [403, 403]
    assert "Normanton" in page
    assert "Allenton" not in page
    assert other == 403


def test_the_dashboard_links_to_the_panel_for_opcc_only(client, opcc_account, make_account):
    client.force_login(opcc_account)
    opcc_page = client.get("/staff/dashboard/").content.decode()
    officer = make_account(Role.OFFICER)
    AssignmentFactory(officer=OfficerFactory(user=officer))
    client.force_login(officer)
    officer_page = client.get("/staff/dashboard/").content.decode()

    assert PAGE in hrefs(opcc_page)
    assert PAGE not in hrefs(officer_page)


def _statements(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE, PERIOD).status_code == 200
    return len(captured.captured_queries)


def test_the_page_runs_a_fixed_number_of_statements(
    client, opcc_account, areas, django_assert_max_num_queries
):
    client.force_login(opcc_account)
    with time_machine.travel(NOW, tick=False):
        few = _statements(client)
        for n in range(30):
            area = NeighbourhoodFactory(population=1000 + n)
            queries(area, 2)
            subscriber(f"s{n}@example.com", [area])
        with django_assert_max_num_queries(12):
            page = client.get(PAGE, PERIOD).content.decode()
        many = _statements(client)

    assert len(elements(page, "*", data_label="Neighbourhood")) == 33
    assert many == few


def test_a_visitor_signs_in_first_and_an_account_without_a_role_is_refused(client, make_account):
    visitor = client.get(PAGE)
    client.force_login(make_account())
    no_role = [client.get(PAGE).status_code, client.get(EXPORT).status_code]

    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/staff/sign-in/")
    assert no_role == [403, 403]
