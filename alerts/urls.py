"""Neighbourhood alerts: subscribe, confirm, manage and unsubscribe, under /alerts/."""

from django.urls import path, register_converter

from alerts import views


class LinkConverter:
    """A confirmation token or a signed subscriber link ("<pk>:<signature>"), or anything
    else of a sane length: the view answers a bad one with a page that says what to do,
    rather than the URL resolver's bare 404."""

    regex = "[^/]{1,200}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LinkConverter, "alert_link")

app_name = "alerts"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<alert_link:token>/", views.confirm, name="confirm"),
    path("manage/<alert_link:signed>/", views.manage, name="manage"),
    path("unsubscribe/<alert_link:signed>/", views.unsubscribe, name="unsubscribe"),
]
