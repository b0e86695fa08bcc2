"""The quarterly report printed by Chromium on A4: the report alone (no navigation, header,
footer, cookie message or "Exit this page"), each section on a page of its own, and no table
cut across two pages.

How a table is checked whole: the PDF's text is read back page by page (pypdf); the page that
holds a table's caption must hold every one of its rows too (each row's text, spaces ignored,
since a PDF's text loses the table's spacing)."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.dashboards.quarter_data import published_report
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page has around the report, which paper must not.
NOT_ON_PAPER = [
    "Skip to main content",
    "Cookies on this site",
    "Your neighbourhood police",
    "Find your neighbourhood",
    "Find an officer",
    "Staff sign in",
    "Exit this page",
    "Accessibility statement",
    "Privacy notice",
    "All quarterly reports",
    "This site is not monitored",
]
A4_POINTS = (595.28, 841.89)  # 210 mm by 297 mm, in PostScript points


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _printed(page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    for printed in reader.pages:
        size = (float(printed.mediabox.width), float(printed.mediabox.height))
        # Chromium rounds A4 to whole pixels at 96 dpi: within 2 points of 210 by 297 mm.
        assert all(abs(got - want) < 2 for got, want in zip(size, A4_POINTS, strict=True)), size
    return [p.extract_text() for p in reader.pages]


def test_the_report_prints_on_a4_with_every_table_whole_and_no_navigation(page, opcc_account):
    report = published_report(opcc_account)
    page.goto(f"/performance/reports/{report.quarter.slug}/")
    expect(page.locator("h1")).to_contain_text("Neighbourhood Policing Guarantee")
    tables = page.locator("article table")
    expect(tables).to_have_count(6)
    # Each division's four teams: 4 + 5 + 6 + 7 hours abstracted in the quarter.
    expect(tables.nth(4).locator("tbody tr").first).to_contain_text("22")
    # Each division's four hotspots: (1 + 2 + 3 + 4) hours by two officers; 60 for the force.
    expect(tables.nth(5).locator("tbody tr").first).to_have_text(
        re.compile(r"Officer hours on patrol\s*60\s*20\s*20\s*20")
    )
    printed = _printed(page)
    squeezed = [_squeezed(text) for text in printed]

    for index in range(tables.count()):
        table = tables.nth(index)
        caption = table.locator("caption").inner_text()
        on = [n for n, text in enumerate(squeezed) if _squeezed(caption) in text]
        assert len(on) == 1, f"{caption!r} is on pages {on}"
        rows = table.locator("tbody tr")
        assert rows.count() >= 2
        for row in range(rows.count()):
            cells = rows.nth(row).locator("th, td").all_inner_texts()
            assert _squeezed("".join(cells)) in squeezed[on[0]], (
                f"{cells} is not on page {on[0] + 1} with {caption!r}"
            )

    everything = "\n".join(printed)
    for text in NOT_ON_PAPER:
        assert text not in everything
    assert _squeezed("Commentary from the Office of the Police and Crime Commissioner") in (
        _squeezed(everything)
    )
    assert _squeezed("Answers were quicker than last quarter") in _squeezed(everything)


def test_each_section_of_the_report_starts_a_new_page(page, opcc_account):
    report = published_report(opcc_account)
    page.goto(f"/performance/reports/{report.quarter.slug}/")
    headings = page.locator("article section > h2").all_inner_texts()
    assert len(headings) == 7
    printed = [_squeezed(text) for text in _printed(page)]
    pages = [
        next(n for n, text in enumerate(printed) if _squeezed(heading) in text)
        for heading in headings
    ]
    assert pages == sorted(set(pages)), f"sections on pages {pages}"


def test_opcc_publishes_a_draft_from_the_staff_dashboard(page, opcc_account):
    from tests.dashboards.quarter_data import quarter_with_figures

    quarter = quarter_with_figures()
    page.goto("/staff/dashboard/")
    page.get_by_label("Username").fill("opcc")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Quarterly Guarantee reports").click()
    page.get_by_label(quarter.label).check()
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator("h1")).to_have_text(f"Neighbourhood Policing Guarantee: {quarter.label}")
    page.get_by_role("textbox", name="Commentary").fill(
        "Better than last quarter.\n\nMore to do in the west."
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Publish the report").click()
    expect(page).to_have_url(re.compile(f"/performance/reports/{quarter.slug}/$"))
    expect(page.locator(".portal-report__commentary p")).to_have_text(
        ["Better than last quarter.", "More to do in the west."]
    )
