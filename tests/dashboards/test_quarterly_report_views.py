"""The quarterly report's pages: OPCC staff draft, write and publish under
/staff/dashboard/reports/; the public reads published reports under /performance/reports/.
Everyone else is refused, a draft is never public, and a published page shows its snapshot
whatever happens to the data afterwards."""

import datetime
import re

import pytest
from pytest_django.asserts import assertInHTML

from dashboards.models import QuarterlyReport
from dashboards.quarters import Quarter
from dashboards.services import report_draft, report_publish, report_write
from tests.dashboards.test_dashboard_figures import answer, submit
from tests.factories import DivisionFactory, ForceFactory
from tests.fixtures.clock import london
from tests.html import elements, hrefs, texts
from tests.queries.factories import neighbourhood_with_team

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = london(2026, 10, 5, 12)
Q2 = Quarter(2026, 2)
STAFF = "/staff/dashboard/reports/"
PUBLIC = "/performance/reports/"


@pytest.fixture
def areas():
    """Three divisions of two neighbourhoods, each with 6 queries in quarter 2: 5 answered
    in an hour, one after 100 hours."""
    force = ForceFactory()
    for name in ("North", "South", "West"):
        division = DivisionFactory(force=force, name=name, slug=name.lower())
        for number in (1, 2):
            area, _ = neighbourhood_with_team(
                force=force, division=division, name=f"{name} {number}"
            )
            sent = london(2026, 8, 3, 9)
            for after in (1, 1, 1, 1, 1, 100):
                answer(submit(area, sent), sent + datetime.timedelta(hours=after))


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _article(response) -> str:
    html = response.content.decode()
    return html[html.index("<article") : html.index("</article>")]


def _publish(user, commentary="Quicker answers in the south.") -> QuarterlyReport:
    draft = report_draft(by=user, quarter=Q2)
    report_write(report=draft, by=user, commentary=commentary)
    return report_publish(report=draft, by=user)


# --- Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [STAFF, f"{STAFF}{{pk}}/"])
def test_a_visitor_is_sent_to_sign_in(client, opcc_account, path):
    draft = report_draft(by=opcc_account, quarter=Q2)
    response = client.get(path.format(pk=draft.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")


@pytest.mark.parametrize("account", ["priya", "sergeant", "anonymous", "no_role"])
def test_only_opcc_and_administrators_may_draft_write_and_publish(
    client, request, make_account, opcc_account, account
):
    draft = report_draft(by=opcc_account, quarter=Q2)
    if account == "no_role":
        client.force_login(make_account())
    elif account != "anonymous":
        # An officer and a sergeant of a neighbourhood, who see its dashboard.
        client.force_login(request.getfixturevalue(account).user)
    answers = [
        client.get(STAFF),
        client.post(STAFF, {"quarter": Quarter(2026, 1).slug}),
        client.get(f"{STAFF}{draft.pk}/"),
        client.post(f"{STAFF}{draft.pk}/", {"commentary": "Rewritten"}),
        client.post(f"{STAFF}{draft.pk}/publish/"),
        client.post(f"{STAFF}{draft.pk}/correct/"),
    ]
    expected = 302 if account == "anonymous" else 403
    assert [response.status_code for response in answers] == [expected] * len(answers)
    draft.refresh_from_db()
    assert (draft.commentary, draft.published_at) == ("", None)
    assert QuarterlyReport.objects.count() == 1


def test_a_draft_is_not_public(client, opcc_account):
    draft = report_draft(by=opcc_account, quarter=Q2)
    report_write(report=draft, by=opcc_account, commentary="Not yet.")
    assert client.get(f"{PUBLIC}2026-27-q2/").status_code == 404
    assert client.get(f"{PUBLIC}2026-27-q2/v1/").status_code == 404
    listing = client.get(PUBLIC)
    assert "No report has been published yet." in _text(listing)


@pytest.mark.parametrize("path", ["2026-27-q9/", "not-a-quarter/", "2026-27-q2/v7/"])
def test_an_unknown_report_is_not_found(client, opcc_account, path):
    _publish(opcc_account)
    assert client.get(PUBLIC + path).status_code == 404


# --- Drafting ----------------------------------------------------------------------------------


def test_opcc_drafts_writes_and_publishes_a_report(client, opcc_account, areas):
    client.force_login(opcc_account)
    listing = client.get(STAFF)
    assert "Quarter 2 2026-27 (July to September 2026)" in _text(listing)
    # The quarter under way is not offered.
    assert "October to December 2026" not in _text(listing)
    response = client.post(STAFF, {"quarter": "2026-27-q2"})
    draft = QuarterlyReport.objects.get()
    assert response["Location"] == f"{STAFF}{draft.pk}/"
    page = client.get(f"{STAFF}{draft.pk}/")
    assert "Draft" in _text(page)
    assert "North 1" in _text(page)
    response = client.post(
        f"{STAFF}{draft.pk}/", {"commentary": "First paragraph.\r\n\r\nSecond <b>one</b>."}
    )
    assert response.status_code == 302
    response = client.post(f"{STAFF}{draft.pk}/publish/")
    assert response["Location"] == f"{PUBLIC}2026-27-q2/"
    published = client.get(f"{PUBLIC}2026-27-q2/")
    assertInHTML("<p>First paragraph.</p>", published.content.decode())
    assert "Second &lt;b&gt;one&lt;/b&gt;." in published.content.decode()


def test_a_quarter_under_way_cannot_be_drafted(client, opcc_account):
    client.force_login(opcc_account)
    response = client.post(STAFF, {"quarter": "2026-27-q3"})
    assert response.status_code == 400
    assert "Choose a quarter from the list" in _text(response)
    assert not QuarterlyReport.objects.exists()


def test_the_quarters_to_draft_are_govuk_radios_in_a_fieldset_named_quarter(client, opcc_account):
    client.force_login(opcc_account)
    page = client.get(STAFF).content.decode()

    assert texts(page, "legend", class_="govuk-fieldset__legend govuk-fieldset__legend--s") == [
        "Quarter"
    ]
    radios = elements(page, "input", type="radio", name="quarter")
    labels = elements(page, "label", class_="govuk-label govuk-radios__label")
    assert len(radios) == 8
    assert all(radio.attrs["class"] == "govuk-radios__input" for radio in radios)
    assert [label.attrs["for"] for label in labels] == [radio.attrs["id"] for radio in radios]
    assert labels[0].text == "Quarter 2 2026-27 (July to September 2026)"


def test_publishing_without_a_commentary_says_what_is_missing(client, opcc_account):
    client.force_login(opcc_account)
    draft = report_draft(by=opcc_account, quarter=Q2)
    response = client.post(f"{STAFF}{draft.pk}/publish/")
    assert response.status_code == 400
    assert "Write the commentary before publishing." in _text(response)
    draft.refresh_from_db()
    assert draft.published_at is None


def test_the_staff_dashboard_links_opcc_to_the_reports(client, opcc_account, sergeant):
    client.force_login(opcc_account)
    assert "/staff/dashboard/reports/" in hrefs(client.get("/staff/dashboard/"))
    client.force_login(sergeant.user)
    officers_page = client.get("/staff/dashboard/")
    assert "SLA and Guarantee dashboard" in _text(officers_page)
    assert "/staff/dashboard/reports/" not in hrefs(officers_page)


# --- Published ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["", "/cy"])
def test_the_published_page_does_not_change_when_the_data_does(
    client, opcc_account, areas, language
):
    _publish(opcc_account)
    before = client.get(f"{language}{PUBLIC}2026-27-q2/")
    assert "North 1" in _text(before)
    # Afterwards: a new neighbourhood with queries in the quarter, and more in an old one.
    force = ForceFactory()
    east = DivisionFactory(force=force, name="East", slug="east")
    area, _ = neighbourhood_with_team(force=force, division=east, name="Eastwood")
    for _ in range(6):
        submit(area, london(2026, 9, 1, 9))
    after = client.get(f"{language}{PUBLIC}2026-27-q2/")
    assert _article(after) == _article(before)
    assert "Eastwood" not in _text(after)


def test_a_correction_is_listed_with_its_note_and_the_earlier_version(client, opcc_account):
    _publish(opcc_account, "First.")
    correction = report_draft(by=opcc_account, quarter=Q2)
    report_write(
        report=correction,
        by=opcc_account,
        commentary="First, corrected.",
        correction_note="A test query was counted.",
    )
    report_publish(report=correction, by=opcc_account)
    listing = _text(client.get(PUBLIC))
    assert "Version 2, corrected on 5 October 2026: A test query was counted." in listing
    html = client.get(PUBLIC).content.decode()
    assert f"{PUBLIC}2026-27-q2/v1/" in hrefs(html)
    latest = _text(client.get(f"{PUBLIC}2026-27-q2/"))
    assert "First, corrected." in latest
    first = _text(client.get(f"{PUBLIC}2026-27-q2/v1/"))
    assert "This is an earlier version of the report." in first
    assert "First." in first and "First, corrected." not in first


def test_a_correction_starts_from_the_staff_list(client, opcc_account):
    report = _publish(opcc_account)
    client.force_login(opcc_account)
    response = client.post(f"{STAFF}{report.pk}/correct/")
    correction = QuarterlyReport.objects.get(version=2)
    assert response["Location"] == f"{STAFF}{correction.pk}/"
    response = client.post(f"{STAFF}{correction.pk}/", {"commentary": "Changed."})
    assert response.status_code == 400
    assert "Say what this version corrects" in _text(response)


# --- SQL ---------------------------------------------------------------------------------------


def test_the_public_pages_read_a_bounded_number_of_rows(
    client, opcc_account, areas, django_assert_max_num_queries
):
    _publish(opcc_account)
    with django_assert_max_num_queries(1):
        assert "Quarter 2 2026-27" in _text(client.get(PUBLIC))
    with django_assert_max_num_queries(1):
        assert "North 1" in _text(client.get(f"{PUBLIC}2026-27-q2/"))


def test_the_draft_page_reads_a_bounded_number_of_statements(
    client, opcc_account, areas, django_assert_max_num_queries
):
    client.force_login(opcc_account)
    draft = report_draft(by=opcc_account, quarter=Q2)
    # The live figures: the force's in four quarters (4 statements each), each division's
    # (4, and 1 for its abstractions), the neighbourhoods (2), the force's abstractions, the
    # patrols of the force and every division (1), the divisions, the report and the session:
    # 40 for three divisions, whatever the queries.
    with django_assert_max_num_queries(40):
        assert "West 2" in _text(client.get(f"{STAFF}{draft.pk}/"))


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"{PUBLIC}2026-27-q2/v0/",
        f"{PUBLIC}2026-27-q2/v99999999999999999999999/",
        f"{PUBLIC}9999-00-q1/",
        f"{STAFF}99999999999999999999999/",
        f"{STAFF}0/",
    ],
)
def test_an_address_out_of_range_is_not_found(client, opcc_account, path):
    _publish(opcc_account)
    client.force_login(opcc_account)
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in _text(response)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"commentary": "x" * 20_001}, "Write 20,000 characters or fewer"),
        ({"commentary": ["a", "b"]}, ""),
    ],
)
def test_a_commentary_too_long_is_refused_in_the_form(client, opcc_account, data, error):
    client.force_login(opcc_account)
    draft = report_draft(by=opcc_account, quarter=Q2)
    response = client.post(f"{STAFF}{draft.pk}/", data)
    assert response.status_code in {302, 400}
    assert error in _text(response)
    draft.refresh_from_db()
    assert len(draft.commentary) <= 20_000


@pytest.mark.parametrize("quarter", ["", "2026-27-q9", "<script>", "2026-27-q2" * 50])
def test_a_quarter_that_is_not_offered_is_refused_in_the_form(client, opcc_account, quarter):
    client.force_login(opcc_account)
    response = client.post(STAFF, {"quarter": quarter})
    assert response.status_code == 400
    assert "Choose a quarter" in _text(response)
    assert not QuarterlyReport.objects.exists()


def test_the_staff_list_reads_a_bounded_number_of_statements(
    client, opcc_account, django_assert_max_num_queries
):
    for number in (1, 2, 3, 4):
        draft = report_draft(by=opcc_account, quarter=Quarter(2025, number))
        report_write(report=draft, by=opcc_account, commentary="Written.")
        report_publish(report=draft, by=opcc_account)
    report_draft(by=opcc_account, quarter=Q2)
    client.force_login(opcc_account)
    # The session, the user, their roles and the reports.
    with django_assert_max_num_queries(4):
        page = _text(client.get(STAFF))
    assert page.count("Published on") == 4
    assert "Continue the draft of Q2 2026-27" in page
