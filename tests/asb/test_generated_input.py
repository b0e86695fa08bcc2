"""Any text, through the report guide's question and answer and the ASB lead's action form:
an answer or a message on the form, never a 500."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from asb.models import Action
from tests.form_data import with_date_boxes
from tests.test_generated_input import any_text, examples

pytestmark = pytest.mark.django_db


@settings(examples, max_examples=50)
@given(kind=st.one_of(st.sampled_from(["noise", "threatening-behaviour", ""]), any_text()))
@example(kind="noi\x00se")
def test_the_report_question_answers_any_text(client, guide, kind):
    response = client.get("/asb/report/", {"asked": "1", "kind": kind})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
    else:
        assert response["Location"] == f"/asb/report/{kind}/"


@settings(examples, max_examples=50)
@given(kind=any_text())
def test_the_question_shown_again_answers_any_back_link(client, guide, kind):
    response = client.get("/asb/report/", {"kind": kind})
    assert response.status_code == 200
    assert "What kind of behaviour do you want to report?" in response.content.decode()


@settings(examples, max_examples=40)
@given(title=any_text(), partner=any_text(), progress=any_text(), day=any_text())
@example(title="Patrols\x00", partner="Council", progress="", day="1")
def test_the_action_form_saves_or_names_the_problem(
    client, force_lead, sections, title, partner, progress, day
):
    client.force_login(force_lead.officer.user)
    data = with_date_boxes(
        {
            "section": sections["town"].pk,
            "title": title,
            "owner_kind": "partner",
            "owner_partner": partner,
            "due_on": "",
            "status": "in_progress",
            "progress": progress,
        },
        "due_on",
    )
    data.update({"due_on_day": day, "due_on_month": "3", "due_on_year": "2027"})
    before = Action.objects.count()
    response = client.post("/staff/asb/actions/new/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
        assert Action.objects.count() == before
    else:
        assert Action.objects.count() == before + 1
