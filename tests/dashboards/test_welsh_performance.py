"""The public performance pages in Welsh under /cy/performance/: the same figures as the English
pages, with the Welsh words around them (headings, the chart's summary, its table, the months)."""

import pytest

from tests.dashboards.test_performance_pages import NOW, team, text  # noqa: F401 (a fixture)
from tests.html import element, language, texts
from tests.test_translations import _template_texts, english_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

__all__ = ["NOW"]


def test_the_welsh_force_page_gives_the_same_figures_in_welsh(client, team):  # noqa: F811
    english = text(client.get("/performance/"))
    response = client.get("/cy/performance/")
    page = text(response)

    assert language(response.content.decode()) == "cy"
    assert "Sut mae Heddlu Swydd Derby (demo) yn cadw’r Warant Plismona Cymdogaeth" in page
    assert "fe wnaeth y timau ateb 47 o 50 ymholiad o fewn 72 awr (94%)" in page
    assert "Ffigurau pob mis" in page
    # The month's row: the same numbers, the month and the words in Welsh.
    assert "October 2026 50 47 (94%) 19 hours" in english
    assert "Hydref 2026 50 47 (94%) 19 awr" in page
    assert "Medi 2026 Llai na 5 ymholiad Heb ei ddangos Heb ei ddangos" in page
    assert english_on(response.content.decode(), _template_texts()) == []


def test_the_welsh_trend_chart_has_a_welsh_summary_and_legend(client, team):  # noqa: F811
    html = client.get("/cy/performance/").content.decode()

    caption = element(html, "figcaption", class_="govuk-body", id="trend-caption").text
    assert caption.startswith(
        "Ymholiadau a benderfynwyd bob mis (barrau) a’r gyfran a atebwyd o fewn y targed"
    )
    assert "dros y misoedd Rhagfyr 2025 – Tachwedd 2026" in caption  # noqa: RUF001
    assert "Mae’r tabl isod yn rhoi ffigurau pob mis." in caption
    chart_words = texts(html, "text")
    assert "Ymholiadau (graddfa chwith)" in chart_words
    assert "O fewn y targed (graddfa dde)" in chart_words
    assert "Rhag 2025" in chart_words


def test_the_welsh_how_we_count_page_is_welsh(client, team):  # noqa: F811
    response = client.get("/cy/performance/how-we-count/")
    page = text(response)

    assert "Sut rydym yn cyfrif ffigurau’r Warant" in page
    assert "Ymholiadau a atebwyd o fewn 72 awr" in page
    assert "Lawrlwythwch y ffigurau hyn fel data agored" not in page
    assert "Gellir lawrlwytho ffigurau pob mis" in page
    assert english_on(response.content.decode(), _template_texts()) == []
