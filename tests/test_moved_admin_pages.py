"""Admin pages of models that moved to another app answer at their old addresses with a
permanent redirect to the new ones (bookmarks, links in old emails), behind the admin's sign-in
like the pages themselves; the admin pages of the models that stayed are untouched."""

import pytest
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "/admin/queries/outboxemail/?status__exact=failed",
            "/admin/notifications/outboxemail/?status__exact=failed",
        ),
        ("/admin/queries/outboxemail/7/change/", "/admin/notifications/outboxemail/7/change/"),
        ("/admin/neighbourhoods/priority/", "/admin/engagement/priority/"),
        ("/admin/neighbourhoods/priority/3/history/", "/admin/engagement/priority/3/history/"),
        ("/admin/neighbourhoods/prioritysupport/", "/admin/engagement/prioritysupport/"),
        ("/admin/neighbourhoods/survey/add/", "/admin/engagement/survey/add/"),
        ("/admin/neighbourhoods/surveyresponse/", "/admin/engagement/surveyresponse/"),
    ],
)
def test_a_moved_model_s_old_admin_address_redirects_to_its_new_one(
    client, administrator_account, old, new
):
    client.force_login(administrator_account)

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_the_redirect_leads_an_administrator_to_the_page(client, administrator_account):
    client.force_login(administrator_account)

    response = client.get("/admin/queries/outboxemail/?status__exact=failed", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [
        ("/admin/notifications/outboxemail/?status__exact=failed", 301)
    ]


def test_an_old_address_asks_a_visitor_to_sign_in_first(client):
    response = client.get("/admin/queries/outboxemail/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/queries/outboxemail/")


def test_an_officer_is_not_let_through_an_old_address(client, officer_account):
    client.force_login(officer_account)

    response = client.get("/admin/neighbourhoods/priority/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/admin/queries/query/", "Select query to view"),
        ("/admin/neighbourhoods/neighbourhood/", "Select neighbourhood to change"),
        ("/admin/neighbourhoods/", "Neighbourhoods administration"),
    ],
)
def test_the_models_that_stayed_keep_their_admin_pages(
    client, administrator_account, path, heading
):
    client.force_login(administrator_account)

    assertContains(client.get(path), f"<h1>{heading}</h1>", html=True)


def test_an_old_address_of_a_model_that_never_was_is_not_found(client, administrator_account):
    client.force_login(administrator_account)

    assert client.get("/admin/queries/priority/").status_code == 404
