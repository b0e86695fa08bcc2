"""The dashboards for staff who chose Cymraeg, at their one address: the filters' errors, the
figures' words and the CSV headings in Welsh; and a published quarterly report, whose figures
are frozen, read in Welsh under /cy/."""

import csv
import io
import re

import pytest
from django.conf import settings

from dashboards.models import QuarterlyReport
from neighbourhoods.models import Neighbourhood
from tests.dashboards.test_quarterly_report_views import (  # noqa: F401 (a fixture)
    NOW,
    PUBLIC,
    STAFF,
    _article,
    _publish,
    _text,
    areas,
)
from tests.html import elements, language, texts
from tests.test_translations import _staff_template_texts, english_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

__all__ = ["NOW"]


@pytest.fixture
def welsh_opcc(client, opcc_account):
    client.force_login(opcc_account)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def test_a_welsh_opcc_users_filter_errors_are_in_welsh(welsh_opcc):
    response = welsh_opcc.get(
        "/staff/dashboard/", {"period": "custom", "from": "2099-01-01", "to": "2099-01-02"}
    )
    page = _text(response)

    assert language(response.content.decode()) == "cy"
    assert "Mae problem" in page
    assert "Rhaid i’r dyddiad o fod heddiw neu yn y gorffennol" in page
    assert "Rhaid i’r dyddiad hyd at fod heddiw neu yn y gorffennol" in page
    assert "must be today or in the past" not in page
    # The form around the errors is Welsh too.
    assert "Y 28 diwrnod diwethaf" in page
    assert "Dewis dyddiadau" in page
    assert "Dangos ffigurau" in page


def test_a_welsh_opcc_user_sees_the_figures_in_welsh(welsh_opcc, areas):  # noqa: F811
    response = welsh_opcc.get("/staff/dashboard/", {"period": "90"})
    page = _text(response)

    assert "Dangosfwrdd y CLG a’r Warant" in page
    assert "Ymholiadau a ddaeth i law" in page
    assert "Amser canolrifol i’r ymateb cyntaf" in page
    assert "Y Warant Plismona Cymdogaeth" in page
    assert "Ymatebion sy’n ddyledus bob wythnos (barrau)" in page
    assert "Medi 2026" in page
    assert english_on(response.content.decode(), _staff_template_texts()) == []


def test_the_drill_down_problem_is_in_welsh(welsh_opcc):
    response = welsh_opcc.get("/staff/dashboard/queries/", {"figure": "nothing"})

    assert response.status_code == 400
    assert "Nid oes ffigur o’r fath" in _text(response)
    assert "ymholiadau a ddaeth i law" in _text(response)


def test_a_welsh_csv_export_has_welsh_headings_and_name(welsh_opcc, areas):  # noqa: F811
    response = welsh_opcc.get("/staff/dashboard/export/neighbourhoods.csv", {"period": "90"})

    rows = _rows(response)
    assert rows[0] == [
        "Cymdogaeth",
        "Adran",
        "Wedi dod i law",
        "Ymatebion sy’n ddyledus",
        "Wedi’i ateb",
        "Wedi cyrraedd",
        "Wedi methu",
        "O fewn y targed (%)",
        "Ar agor nawr",
        "Wedi methu’r targed ac yn dal ar agor",
    ]
    assert len(rows) == 7
    assert response["Content-Disposition"] == (
        'attachment; filename="dangosfwrdd-cymdogaethau-2026-07-08-i-2026-10-05.csv"'
    )


def test_a_streamed_welsh_csv_keeps_its_welsh_headings(welsh_opcc, areas):  # noqa: F811
    """The list behind a figure is read after the view has returned: still in Welsh."""
    response = welsh_opcc.get(
        "/staff/dashboard/export/queries.csv", {"period": "90", "figure": "received"}
    )

    rows = _rows(response)
    assert rows[0] == ["Cyfeirnod", "Cymdogaeth", "Pwnc", "Anfonwyd", "Erbyn", "Statws", "Swyddog"]
    assert len(rows) == 37


def test_an_english_csv_keeps_its_english_headings(client, opcc_account, areas):  # noqa: F811
    client.force_login(opcc_account)
    response = client.get(
        "/staff/dashboard/export/queries.csv", {"period": "90", "figure": "received"}
    )

    assert _rows(response)[0] == [
        "Reference",
        "Neighbourhood",
        "Topic",
        "Sent",
        "Due",
        "Status",
        "Officer",
    ]


# --- The quarterly report ----------------------------------------------------------------------


def _numbers(html: str) -> list[str]:
    """The figures in the report's tables, in order."""
    cells = elements(html, "*", class_="govuk-table__cell--numeric")
    return [re.findall(r"[0-9][0-9,.]*%?", cell.own_text) for cell in cells]


def test_a_published_report_reads_in_welsh_with_the_same_figures(client, opcc_account, areas):  # noqa: F811
    _publish(opcc_account)

    english = client.get(f"{PUBLIC}2026-27-q2/")
    welsh = client.get(f"/cy{PUBLIC}2026-27-q2/")

    page = _text(welsh)
    assert language(welsh.content.decode()) == "cy"
    assert "Y Warant Plismona Cymdogaeth: Chwarter 2 2026-27 (Gorffennaf–Medi 2026)" in page  # noqa: RUF001
    assert "Adroddiad chwarterol i’r Panel Heddlu a Throseddu" in page
    assert "Cyhoeddwyd ar 5 Hydref 2026. Fersiwn 1." in page
    assert "Ch2 2026-27" in page
    assert "Ffigurau’r heddlu ar gyfer y chwarter" in page
    assert "Quarter 2 2026-27 (July to September 2026)" in _text(english)
    assert _numbers(_article(welsh)) == _numbers(_article(english))
    assert _numbers(_article(english))


@pytest.mark.parametrize("language", ["", "/cy"])
def test_a_report_published_by_welsh_staff_is_frozen_in_no_ones_language(
    welsh_opcc,
    areas,  # noqa: F811
    language,
):
    draft = welsh_opcc.post(STAFF, {"quarter": "2026-27-q2"})
    report = QuarterlyReport.objects.get()
    assert draft["Location"] == f"{STAFF}{report.pk}/"
    welsh_opcc.post(f"{STAFF}{report.pk}/", {"commentary": "Atebion cyflymach yn y de."})
    welsh_opcc.post(f"{STAFF}{report.pk}/publish/")
    report.refresh_from_db()

    assert [row["label"] for row in report.snapshot["trend"]][-1] == "Q2 2026-27"
    welsh_opcc.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb" if not language else "cy"
    page = _text(welsh_opcc.get(f"{language}{PUBLIC}2026-27-q2/"))
    assert ("Q2 2026-27" in page) == (not language)
    assert ("Ch2 2026-27" in page) == bool(language)


def test_a_welsh_opcc_user_chooses_among_scopes_named_in_welsh(welsh_opcc, areas):  # noqa: F811
    welsh = welsh_opcc.get("/staff/dashboard/").content.decode()
    welsh_opcc.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    english = welsh_opcc.get("/staff/dashboard/").content.decode()

    assert "Adran: North" in texts(welsh, "option")
    assert "Cymdogaeth: North 1" in texts(welsh, "option")
    assert "Division: North" not in welsh
    assert "Division: North" in texts(english, "option")


def test_a_neighbourhood_with_a_welsh_name_is_offered_by_it_in_welsh(welsh_opcc, areas):  # noqa: F811
    Neighbourhood.objects.filter(name="North 1").update(name_cy="Gogledd 1")

    welsh = welsh_opcc.get("/staff/dashboard/").content.decode()
    welsh_opcc.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    english = welsh_opcc.get("/staff/dashboard/").content.decode()

    assert "Cymdogaeth: Gogledd 1" in texts(welsh, "option")
    assert "Cymdogaeth: North 1" not in texts(welsh, "option")
    assert "Neighbourhood: North 1" in texts(english, "option")
    assert "Gogledd" not in english
