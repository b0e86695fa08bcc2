from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config import views

urlpatterns = [
    path("", include("neighbourhoods.urls")),
    path("staff/", include("officers.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("cookies/hide/", views.cookie_notice_hide, name="cookie_notice_hide"),
    path("cookies/", TemplateView.as_view(template_name="pages/cookies.html"), name="cookies"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
