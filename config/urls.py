from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from config import languages, views

# The public pages: in English at these addresses, and in each other language of LANGUAGES
# under its prefix (/cy/...). The staff area keeps one address in every language, shown in the
# language chosen with the switcher (config.languages sends /cy/staff/... to /staff/...).
public_patterns = [
    path("", include("neighbourhoods.urls")),
    path("", include("officers.public_urls")),
    path("", include("queries.urls")),
    path("", include("meetings.urls")),
    path("have-your-say/", include("engagement.urls.surveys")),
    path("alerts/", include("alerts.urls")),
    path("cookies/hide/", views.cookie_notice_hide, name="cookie_notice_hide"),
    path("cookies/", TemplateView.as_view(template_name="pages/cookies.html"), name="cookies"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("", include("patrols.urls")),
    # The reports before the performance pages, whose /performance/<division>/ would take them.
    path("performance/reports/", include("dashboards.urls.reports")),
    path("performance/", include("dashboards.urls.performance")),
    path("asb/", include("asb.urls.public")),
    path("police-and-crime-plan/", include("crimeplan.urls.public")),
]

urlpatterns = [
    *(
        i18n_patterns(*public_patterns, prefix_default_language=False)
        if len(settings.LANGUAGES) > 1
        else public_patterns
    ),
    path("language/<str:language>/", languages.language_switch, name="language_switch"),
    # The staff home, profile, abstractions, signing in and out, second factor and passwords.
    path("", include("officers.urls")),
    # Staff sign-in through the force's identity provider (404 while it is not configured).
    path("oidc/", include("officers.oidc_urls")),
    # Security keys and passkeys: django-otp-webauthn's JSON steps (officers.second_factor).
    path("staff/account/security/keys/", include("django_otp_webauthn.urls")),
    path("staff/queries/", include("queries.staff_urls")),
    path("staff/events/", include("meetings.staff_urls")),
    path("staff/dashboard/", include("dashboards.urls.dashboard")),
    path("staff/patrols/", include("patrols.staff_urls")),
    path("staff/priorities/", include("engagement.urls.priorities_staff")),
    path("staff/surveys/", include("engagement.urls.surveys_staff")),
    path("staff/asb/", include("asb.urls.staff")),
    path("staff/police-and-crime-plan/", include("crimeplan.urls.staff")),
    path("api/", include("api.urls")),
    path("open311/v2/", include("api.open311.urls")),
    # Admin pages of models that moved to another app: their old addresses redirect.
    re_path(
        r"^admin/(?P<app_label>queries|neighbourhoods)/"
        r"(?P<model>outboxemail|priority|prioritysupport|survey|surveyresponse)/(?P<rest>.*)$",
        # Behind the admin's own sign-in, as the pages it leads to are.
        admin.site.admin_view(views.moved_admin_page),
    ),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]


def media(request, path):
    # Uploaded files are re-encoded images only; in production the proxy serves MEDIA_ROOT.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", media)]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
