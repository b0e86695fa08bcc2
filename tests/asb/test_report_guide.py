"""'Who do I report this to?': one question (the kind of behaviour), then the organisations to
report it to, in the order administrators set; without JavaScript, and never a 500."""

import pytest

from tests.html import checked, elements, hrefs

pytestmark = pytest.mark.django_db


def test_the_question_lists_the_kinds_in_order(client, guide):
    page = client.get("/asb/report/").content.decode()
    assert "What kind of behaviour do you want to report?" in page
    assert page.index("Noise") < page.index("Threatening behaviour")
    assert "Continue" in page
    assert "There is a problem" not in page


def test_an_answer_leads_to_its_page(client, guide):
    response = client.get("/asb/report/", {"asked": "1", "kind": "noise"})
    assert response.status_code == 302
    assert response["Location"] == "/asb/report/noise/"


def test_no_answer_gets_an_error_message(client, guide):
    response = client.get("/asb/report/", {"asked": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select the kind of behaviour you want to report" in page


def test_an_unknown_kind_in_the_question_gets_an_error_message(client, guide):
    response = client.get("/asb/report/", {"asked": "1", "kind": "<script>"})
    assert response.status_code == 200
    assert "Select the kind of behaviour you want to report" in response.content.decode()


def test_an_unknown_kind_in_the_answer_address_is_a_404(client, guide):
    response = client.get("/asb/report/no-such-kind/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_answer_names_the_organisations_in_order(client, guide):
    page = client.get("/asb/report/threatening-behaviour/").content.decode()
    danger = page.index("If someone is in danger now, call")
    assert danger < page.index("The police, on 101") < page.index("Your local council")
    assert "tel:101" in hrefs(page)
    assert "If it goes on" in page
    assert "/asb/report/?kind=threatening-behaviour" in hrefs(page)


def test_999_is_not_shown_first_where_no_one_is_in_danger(client, guide):
    page = client.get("/asb/report/noise/").content.decode()
    assert not elements(page, "*", id="danger-now")
    assert "https://www.gov.uk/find-local-council" in hrefs(page)


def test_back_from_the_answer_shows_the_question_with_the_answer_chosen(client, guide):
    response = client.get("/asb/report/", {"kind": "noise"})
    assert response.status_code == 200
    page = response.content.decode()
    assert checked(page, "kind") == ["noise"]
    assert "There is a problem" not in page
