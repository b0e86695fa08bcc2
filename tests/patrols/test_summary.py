"""The public monthly summary of hotspot patrols: the force, a division, a neighbourhood, as a
sentence, a chart with its table and CSV. No officer's name and no note, ever."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from patrols.models import Patrol
from patrols.selectors import MonthFigures, add_months
from patrols.services import patrol_log, patrol_record
from tests.fixtures.patrols import evening, make_hotspot
from tests.html import element, elements, hrefs

pytestmark = pytest.mark.django_db

NOTE = "Saw the usual lads by the bus shelter; one named Jack."


def month_param(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(timezone.get_current_timezone()):%Y-%m}"


@pytest.fixture
def logged(priya, colleague, hotspot, area, matlock, matlock_hotspot):
    """Two patrols in Normanton (one with two officers), one in Matlock, all 10 days ago."""
    patrol_log(
        by=priya.user,
        hotspot=hotspot,
        starts_at=evening(10),
        ends_at=evening(10, 22),
        others=[colleague],
        outcomes={"arrests": 2, "groups_dispersed": 1, "immediate_justice": 3},
        note=NOTE,
    )
    patrol_log(
        by=priya.user,
        hotspot=make_hotspot(area, "Normanton Road shops"),
        starts_at=evening(10, 14),
        ends_at=evening(10, 16),
        outcomes={"arrests": 1},
    )
    patrol_record(
        hotspot=matlock_hotspot,
        starts_at=evening(10),
        ends_at=evening(10, 20),
        officers=[colleague],
        outcomes={"people_engaged": 4},
    )
    return evening(10)


def test_the_force_summary_says_the_month_in_the_words_of_the_news(client, logged):
    month = logged.date().replace(day=1)
    response = client.get("/patrols/", {"month": month_param(logged)})

    page = response.content.decode()
    assert response.status_code == 200
    # 3h x 2 officers + 2h + 1h = 9 officer hours, in 3 hotspots.
    so_far = " so far" if month == timezone.localdate().replace(day=1) else ""
    assert (
        "Officers spent 9 hours on patrol in 3 hotspots across Derbyshire Constabulary (demo) "
        f"in {month:%B %Y}{so_far}: " in page
    )
    assert "3 arrests, 1 group dispersed, 3 Immediate Justice referrals, 4 people engaged" in page
    assert elements(page, "*", role="img") and element(page, "table", id="patrols-table")
    assert len(elements(page, "th", scope="row", data_label="Month")) == 12


def test_a_neighbourhood_summary_counts_only_its_hotspots(client, logged, area):
    response = client.get(f"/neighbourhoods/{area.slug}/patrols/", {"month": month_param(logged)})

    page = response.content.decode()
    assert "Officers spent 8 hours on patrol in 2 hotspots in Normanton" in page
    assert "3 arrests, 1 group dispersed, 3 Immediate Justice referrals." in page


def test_a_division_summary_counts_only_its_neighbourhoods(client, logged, matlock):
    response = client.get(f"/patrols/{matlock.division.slug}/", {"month": month_param(logged)})

    page = response.content.decode()
    assert f"Officers spent 1 hour on patrol in 1 hotspot in the {matlock.division.name}" in page
    assert "4 people engaged." in page


def test_public_pages_never_show_a_name_or_a_note(client, logged, area):
    query = {"month": month_param(logged)}
    pages = [
        client.get("/patrols/", query),
        client.get(f"/neighbourhoods/{area.slug}/patrols/", query),
        client.get(f"/patrols/{area.division.slug}/", query),
    ]
    downloads = [
        client.get("/patrols/export.csv", query),
        client.get(f"/neighbourhoods/{area.slug}/patrols/export.csv", query),
    ]
    texts = [page.content.decode() for page in pages] + [
        b"".join(download.streaming_content).decode() for download in downloads
    ]
    for text in texts:
        assert "Officers spent" in text or "Officer hours on patrol" in text
        for secret in ("Priya", "Sharma", "Tom Ellis", "bus shelter", "Jack"):
            assert secret not in text


def test_the_csv_has_twelve_months_and_is_spreadsheet_safe(client, logged, make_account):
    response = client.get("/patrols/export.csv", {"month": month_param(logged)})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == [
        "Area",
        "Month",
        "Officer hours on patrol",
        "Patrols",
        "Hotspots patrolled",
    ]
    assert len(rows) == 13
    last = rows[-1]
    assert last[1] == month_param(logged)
    assert last[2:5] == ["9.0", "3", "3"]


def test_a_month_that_is_not_one_is_a_message_not_an_error(client, logged):
    for month in ("2026-13", "next month", "1999-01", "9999-01"):
        response = client.get("/patrols/", {"month": month})
        assert response.status_code == 400
        assert "Choose a month from the list" in response.content.decode()
    assert client.get("/patrols/export.csv", {"month": "x"}).status_code == 400


def test_a_month_without_patrols_says_so(client, logged):
    earlier = add_months(logged.date().replace(day=1), -3)
    page = client.get("/patrols/", {"month": f"{earlier:%Y-%m}"}).content.decode()
    assert "No hotspot patrols were logged across" in page


def test_an_unknown_division_or_neighbourhood_is_not_found(client):
    assert client.get("/patrols/nowhere/").status_code == 404
    assert client.get("/neighbourhoods/nowhere/patrols/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/patrols/", "/patrols/{division}/", "/neighbourhoods/{slug}/patrols/"]
)
def test_the_summary_leads_back_to_anti_social_behaviour_and_whom_to_report_it_to(
    client, area, path
):
    response = client.get(path.format(division=area.division.slug, slug=area.slug))
    assert response.status_code == 200
    assertContains(
        response,
        '<div class="govuk-inset-text" id="patrols-asb">'
        '<p class="govuk-body"><a class="govuk-link" href="/asb/report/">Who do I report this '
        "to?</a> Find the right organisation for the anti-social behaviour you want to report."
        "</p>"
        '<p class="govuk-body">Read about <a class="govuk-link" href="/asb/">the force\u2019s '
        "work on anti-social behaviour</a>: who leads it and its action plan.</p>"
        "</div>",
        html=True,
    )


def test_the_neighbourhood_page_links_to_its_patrols(client, area):
    page = client.get(area.get_absolute_url()).content.decode()
    assert f"/neighbourhoods/{area.slug}/patrols/" in hrefs(page)
    assert "Hotspot patrols in Normanton" in page


def test_the_summary_reads_a_fixed_number_of_statements(
    client, logged, hotspot, colleague, django_assert_max_num_queries
):
    for days in range(20, 200, 3):
        patrol_record(
            hotspot=hotspot,
            starts_at=evening(days),
            ends_at=evening(days, 21),
            officers=[colleague],
            outcomes={},
        )
    assert Patrol.objects.count() > 60
    with django_assert_max_num_queries(6):
        response = client.get("/patrols/", {"month": month_param(logged)})
    assert "Officers spent" in response.content.decode()
    assert "patrols-table" in response.content.decode()


# --- In Welsh ------------------------------------------------------------------------------


def _welsh_figures(*, hotspots: int, arrests: int) -> MonthFigures:
    from patrols.models import OUTCOME_FIELDS

    outcomes = dict.fromkeys(OUTCOME_FIELDS, 0) | {"arrests": arrests, "groups_dispersed": 2}
    return MonthFigures(
        month=datetime.date(2026, 7, 1),
        patrols=40,
        hotspots=hotspots,
        officer_minutes=712 * 60,
        minutes=300 * 60,
        outcomes=outcomes,
    )


def test_the_summary_sentence_is_welsh_with_welsh_plurals():
    from django.utils import translation

    from patrols import summary

    with translation.override("cy"):
        nine = summary.sentence(_welsh_figures(hotspots=9, arrests=15), where="yn Normanton")
        two = summary.sentence(_welsh_figures(hotspots=2, arrests=1), where="yn Normanton")

    assert nine == (
        "Treuliodd swyddogion 712 awr ar batrôl mewn 9 man problemus yn Normanton ym mis "
        "Gorffennaf 2026: 15 arestiad, 2 grŵp wedi\u2019u gwasgaru."
    )
    assert "mewn 2 fan problemus" in two
    assert ": 1 arestiad, 2 grŵp wedi\u2019u gwasgaru." in two


def test_the_welsh_patrols_page_reads_in_welsh(client):
    page = client.get("/cy/patrols/").content.decode()

    assert "Patrolau mannau problemus" in page
    assert "Hotspot patrols" not in page
    assert "Y 12 mis diwethaf" in page
    assert "Ni chofnodwyd unrhyw batrolau mannau problemus ar draws" in page
