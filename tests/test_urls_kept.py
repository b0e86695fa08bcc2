"""Every URL the portal answers today, pinned by name, path and answer.

This file guards the restructuring of the apps: views may move from one app to another, but
each named URL must keep its name, its path and what a GET on it answers. It leans on as
little of the project's Python as it can: URL names and literal paths, the `seed_demo` command
for data, the demo sign-ins, and models found by their class name (whatever app holds them)
only where a path needs a primary key.

- `ROWS` is the table: a URL name, the kwargs to reverse it with, the literal path, who asks
  (nobody, or a demo username), and what a GET answers: the status, the Location of a
  redirect, the content type, and text that must be in a heading (HTML) or in the body.
- `test_every_named_url_is_in_the_table` walks the URL resolver: a name dropped or renamed
  by the restructuring, or a new one nobody added here, fails it.
- Secret links (tracking, cancel, confirm, manage) are stored only as hashes: the table asks
  with a well-formed link nobody was given, and expects the page for an unknown link. A real
  tracking link is made through the contact form instead, with the pages that follow a form.
"""

import html
import io
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

AREA = "derby-city-centre"  # the demo neighbourhood DC01, looked after by `officer`
# Well-formed links that were never given to anyone: what secrets.token_urlsafe(32) makes,
# and a signed subscriber link whose signature is wrong.
UNKNOWN_TOKEN = "Unknown-link-0123456789_abcdefghijklmnopqrstu"
UNKNOWN_SIGNED = "1:not-our-signature"
SIGN_IN = "/staff/sign-in/?next="
HTML = "text/html"
JSON = "application/json"
CALENDAR = "text/calendar"
CSV = "text/csv"


@dataclass(frozen=True)
class Row:
    """One named URL and what a GET on it answers today. `path`, `kwargs` values and
    `location` may hold {placeholders}, the primary keys of demo objects (see `demo`)."""

    name: str
    path: str
    user: str | None  # a demo username; None asks without signing in
    status: int
    shows: str = ""  # HTML: in one of the page's <h1>; anything else: in the body
    location: str = ""  # for a redirect
    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)  # the GET's query string, never reversed
    content_type: str = HTML  # for a 200

    @property
    def id(self) -> str:
        asked = "&".join(f"{key}={value}" for key, value in self.query.items())
        return f"{self.name}[{self.user or 'anonymous'}{'?' + asked if asked else ''}]"


ROWS = [
    # --- neighbourhoods.urls: the public pages ------------------------------------------------
    Row("neighbourhoods:home", "/", None, 200, "Find your neighbourhood police team"),
    Row(
        "neighbourhoods:home",
        "/",
        None,
        302,
        location=f"/neighbourhoods/{AREA}/",
        query={"lat": "52.9225", "lng": "-1.4746"},
    ),
    Row(
        "neighbourhoods:detail",
        f"/neighbourhoods/{AREA}/",
        None,
        200,
        "Derby City Centre",
        kwargs={"slug": AREA},
    ),
    # --- officers.urls: the directory, profiles, the staff home and signing in ----------------
    Row("officer_profiles:directory", "/officers/", None, 200, "Neighbourhood officers"),
    Row(
        "officer_profiles:profile",
        "/officers/{officer}/",
        None,
        200,
        "Priya Sharma",
        kwargs={"pk": "{officer}"},
    ),
    Row("officers:staff_home", "/staff/", "officer", 200, "Staff area"),
    Row("officers:staff_home", "/staff/", None, 302, location=f"{SIGN_IN}/staff/"),
    Row("officers:own_away_set", "/staff/away/", "officer", 405),
    Row("officers:own_profile_edit", "/staff/profile/", "officer", 200, "Edit your public profile"),
    Row(
        "officers:profile_edit",
        "/staff/officers/{officer}/edit/",
        "sergeant",
        200,
        "Edit the profile of Priya Sharma",
        kwargs={"pk": "{officer}"},
    ),
    Row(
        # A preview nobody saved has expired: back to the form.
        "officers:profile_preview",
        "/staff/officers/{officer}/edit/preview/no-such-draft/",
        "sergeant",
        302,
        location="/staff/officers/{officer}/edit/",
        kwargs={"pk": "{officer}", "draft": "no-such-draft"},
    ),
    Row(
        "officers:profile_publish",
        "/staff/officers/{officer}/edit/publish/",
        "sergeant",
        405,
        kwargs={"pk": "{officer}"},
    ),
    Row(
        # No photo is waiting under this token.
        "officers:pending_photo",
        "/staff/officers/{officer}/edit/photo/no-such-photo/",
        "sergeant",
        404,
        "Page not found",
        kwargs={"pk": "{officer}", "token": "no-such-photo"},
    ),
    Row("officers:coverage", "/staff/coverage/", "sergeant", 200, "Neighbourhood coverage"),
    Row("officers:abstractions", "/staff/abstractions/", "sergeant", 200, "Abstractions"),
    Row(
        "officers:abstraction_log",
        "/staff/abstractions/new/",
        "sergeant",
        200,
        "Log an abstraction",
    ),
    Row(
        "officers:abstraction_correct",
        "/staff/abstractions/{abstraction}/correct/",
        "sergeant",
        200,
        "Correct an abstraction",
        kwargs={"pk": "{abstraction}"},
    ),
    Row(
        "officers:abstraction_end",
        "/staff/abstractions/{abstraction}/end/",
        "sergeant",
        405,
        kwargs={"pk": "{abstraction}"},
    ),
    Row(
        "officers:abstraction_report",
        "/staff/abstractions/report/",
        "opcc",
        200,
        "Abstractions report",
    ),
    Row(
        "officers:abstraction_report_csv",
        "/staff/abstractions/report/csv/",
        "opcc",
        200,
        "Abstractions report",
        content_type=CSV,
    ),
    Row("officers:login", "/staff/sign-in/", None, 200, "Staff sign in"),
    Row("officers:login", "/staff/sign-in/", "sergeant", 302, location="/staff/"),
    Row("officers:logout", "/staff/sign-out/", "sergeant", 405),
    Row("officers:second_factor_code", "/staff/sign-in/code/", "sergeant", 302, location="/staff/"),
    Row(
        "officers:second_factor_code",
        "/staff/sign-in/code/",
        None,
        302,
        location=f"{SIGN_IN}/staff/sign-in/code/",
    ),
    Row(
        "officers:second_factor_recovery",
        "/staff/sign-in/recovery-code/",
        "sergeant",
        302,
        location="/staff/",
    ),
    Row("officers:security", "/staff/account/security/", "sergeant", 200, "Sign-in security"),
    Row(
        "officers:second_factor_setup",
        "/staff/account/security/setup/",
        "sergeant",
        200,
        "Set up an authenticator app",
    ),
    Row("officers:recovery_codes", "/staff/account/security/recovery-codes/", "sergeant", 405),
    Row(
        "officers:second_factor_remove",
        "/staff/account/security/apps/1/remove/",
        "sergeant",
        405,
        kwargs={"pk": "1"},
    ),
    Row(
        "officers:security_key_remove",
        "/staff/account/security/keys/1/remove/",
        "sergeant",
        405,
        kwargs={"pk": "1"},
    ),
    *(
        Row(
            f"otp_webauthn:credential-{step}",
            f"/staff/account/security/keys/{path}/",
            "sergeant",
            405,
        )
        for step, path in (
            ("registration-begin", "registration/begin"),
            ("registration-complete", "registration/complete"),
            ("authentication-begin", "authentication/begin"),
            ("authentication-complete", "authentication/complete"),
        )
    ),
    Row(
        "otp_webauthn:js-i18n-catalog",
        "/staff/account/security/keys/jsi18n/",
        "sergeant",
        200,
        "gettext",
        content_type="text/javascript",
    ),
    Row(
        "officers:sso_waiting",
        "/staff/sign-in/waiting/",
        None,
        200,
        "Your account is waiting for approval",
    ),
    Row(
        "officers:sso_no_access",
        "/staff/sign-in/no-access/",
        None,
        200,
        "You do not have access to the staff area",
    ),
    # Signing in through the force's identity provider: not found while none is configured.
    Row("oidc_authentication_init", "/oidc/authenticate/", None, 404),
    Row("oidc_authentication_callback", "/oidc/callback/", None, 404),
    Row("officers:password_reset", "/staff/password-reset/", None, 200, "Reset your password"),
    Row(
        "officers:password_reset_done", "/staff/password-reset/sent/", None, 200, "Check your email"
    ),
    Row(
        "officers:password_reset_confirm",
        "/staff/password-reset/MQ/no-such-token/",
        None,
        200,
        "This link has expired",
        kwargs={"uidb64": "MQ", "token": "no-such-token"},
    ),
    Row(
        "officers:password_reset_complete",
        "/staff/password-reset/done/",
        None,
        200,
        "Password changed",
    ),
    # --- queries.urls: contacting a team and following a query --------------------------------
    Row("queries:contact_start", "/contact/", None, 200, "Contact your neighbourhood team"),
    Row(
        "queries:contact_start",
        "/contact/",
        None,
        302,
        location=f"/neighbourhoods/{AREA}/contact/",
        query={"q": "{postcode}"},
    ),
    Row("queries:confirmation", "/contact/sent/", None, 302, location="/contact/"),
    Row(
        "queries:contact",
        f"/neighbourhoods/{AREA}/contact/",
        None,
        200,
        "Contact your neighbourhood team",
        kwargs={"slug": AREA},
    ),
    Row("queries:new_link", "/queries/new-link/", None, 200, "Get a new link to your query"),
    Row("queries:new_link_sent", "/queries/new-link/sent/", None, 200, "Check your email"),
    Row(
        "queries:track",
        f"/queries/track/{UNKNOWN_TOKEN}/",
        None,
        404,
        "This link to a query does not work",
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    Row(
        "queries:track_reply",
        f"/queries/track/{UNKNOWN_TOKEN}/reply/",
        None,
        405,
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    Row(
        "queries:track_escalate",
        f"/queries/track/{UNKNOWN_TOKEN}/escalate/",
        None,
        405,
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    Row(
        "queries:track_feedback",
        f"/queries/track/{UNKNOWN_TOKEN}/feedback/1/",
        None,
        405,
        kwargs={"token": UNKNOWN_TOKEN, "number": "1"},
    ),
    Row(
        "queries:answer_feedback",
        "/queries/answer/not-a-signed-link/",
        None,
        404,
        "This link does not work",
        kwargs={"signed": "not-a-signed-link"},
    ),
    # --- meetings.urls: events, registering and the calendars ---------------------------------
    Row("meetings:list", "/events/", None, 200, "Events and beat meetings"),
    Row(
        "meetings:force_feed",
        "/events/calendar.ics",
        None,
        200,
        "BEGIN:VCALENDAR",
        content_type=CALENDAR,
    ),
    Row(
        "meetings:registration_confirmation", "/events/registered/", None, 302, location="/events/"
    ),
    Row(
        "meetings:registration_cancel",
        f"/events/registrations/{UNKNOWN_TOKEN}/cancel/",
        None,
        404,
        "This link does not work",
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    Row(
        "meetings:event",
        "/events/{event}/",
        None,
        200,
        "Derby City Centre beat meeting",
        kwargs={"pk": "{event}"},
    ),
    Row(
        "meetings:register",
        "/events/{event}/register/",
        None,
        200,
        "Register for this event",
        kwargs={"pk": "{event}"},
    ),
    Row(
        "meetings:event_ics",
        "/events/{event}/calendar.ics",
        None,
        200,
        "SUMMARY:Derby City Centre beat meeting",
        kwargs={"pk": "{event}"},
        content_type=CALENDAR,
    ),
    Row(
        "meetings:neighbourhood_feed",
        f"/neighbourhoods/{AREA}/events.ics",
        None,
        200,
        "BEGIN:VCALENDAR",
        kwargs={"slug": AREA},
        content_type=CALENDAR,
    ),
    # --- queries.staff_urls: the staff inbox, under /staff/queries/ ---------------------------
    Row("queries_staff:inbox", "/staff/queries/", "officer", 200, "Residents\u2019 queries"),
    Row(
        "queries_staff:detail",
        "/staff/queries/{reference}/",
        "officer",
        200,
        "Query {reference}",
        kwargs={"reference": "{reference}"},
    ),
    *(
        Row(
            f"queries_staff:{action}",
            f"/staff/queries/{{reference}}/{action}/",
            "officer",
            405,
            kwargs={"reference": "{reference}"},
        )
        for action in ("reply", "note", "reassign", "close")
    ),
    # --- meetings.staff_urls: the staff events area, under /staff/events/ ---------------------
    Row("meetings_staff:list", "/staff/events/", "officer", 200, "Events and beat meetings"),
    Row("meetings_staff:event_new", "/staff/events/new/", "officer", 200, "Add an event"),
    Row(
        "meetings_staff:record_past",
        "/staff/events/past/",
        "officer",
        200,
        "Record a past meeting",
    ),
    Row(
        "meetings_staff:event",
        "/staff/events/{event}/",
        "officer",
        200,
        "Derby City Centre beat meeting",
        kwargs={"pk": "{event}"},
    ),
    Row(
        "meetings_staff:event_edit",
        "/staff/events/{event}/edit/",
        "officer",
        200,
        "Edit the event",
        kwargs={"pk": "{event}"},
    ),
    Row(
        "meetings_staff:event_cancel",
        "/staff/events/{event}/cancel/",
        "officer",
        200,
        "Cancel the event",
        kwargs={"pk": "{event}"},
    ),
    Row(
        "meetings_staff:attendance",
        "/staff/events/{event}/attendance/",
        "officer",
        405,
        kwargs={"pk": "{event}"},
    ),
    Row(
        "meetings_staff:outcome",
        "/staff/events/{held_event}/outcome/",
        "officer",
        200,
        "Change the outcome",
        kwargs={"pk": "{held_event}"},
    ),
    Row(
        "meetings_staff:series_new",
        "/staff/events/series/new/",
        "officer",
        200,
        "Add a repeating meeting",
    ),
    Row(
        "meetings_staff:series",
        "/staff/events/series/{series}/",
        "officer",
        200,
        "Derby City Centre beat meeting",
        kwargs={"pk": "{series}"},
    ),
    Row(
        "meetings_staff:series_edit",
        "/staff/events/series/{series}/edit/",
        "officer",
        200,
        "Edit the repeating meeting",
        kwargs={"pk": "{series}"},
    ),
    Row(
        "meetings_staff:series_end",
        "/staff/events/series/{series}/end/",
        "officer",
        200,
        "End the repeating meeting",
        kwargs={"pk": "{series}"},
    ),
    # --- dashboards.urls.performance: the public Guarantee figures, under /performance/ -------
    Row(
        "performance:force",
        "/performance/",
        None,
        200,
        "How Derbyshire Constabulary (demo) keeps the Neighbourhood Policing Guarantee",
    ),
    Row(
        "performance:how_we_count",
        "/performance/how-we-count/",
        None,
        200,
        "How we count the Guarantee figures",
    ),
    Row(
        "performance:division",
        "/performance/derby-city/",
        None,
        200,
        "How the Derby City division keeps the Neighbourhood Policing Guarantee",
        kwargs={"slug": "derby-city"},
    ),
    # --- dashboards.urls.dashboard: the SLA and Guarantee dashboard, under /staff/dashboard/ ---
    Row("dashboard:index", "/staff/dashboard/", "opcc", 200, "SLA and Guarantee dashboard"),
    Row(
        "dashboard:queries",
        "/staff/dashboard/queries/",
        "opcc",
        200,
        "Queries received",
        query={"figure": "received"},
    ),
    Row(
        # Without a figure there is no list to show.
        "dashboard:queries",
        "/staff/dashboard/queries/",
        "opcc",
        400,
        "There is no such figure",
    ),
    Row(
        "dashboard:export",
        "/staff/dashboard/export/figures.csv",
        "opcc",
        200,
        "Figure,Value",
        kwargs={"table": "figures"},
        content_type=CSV,
    ),
    Row(
        "dashboard:engagement",
        "/staff/dashboard/engagement/",
        "opcc",
        200,
        "Neighbourhood engagement",
    ),
    Row(
        "dashboard:engagement_export",
        "/staff/dashboard/engagement/export.csv",
        "opcc",
        200,
        "Neighbourhood,Division,Population",
        content_type=CSV,
    ),
    # The quarterly Guarantee reports: drafting under /staff/dashboard/reports/ (OPCC only).
    Row("dashboard:reports", "/staff/dashboard/reports/", "opcc", 200, "Quarterly Guarantee"),
    Row("dashboard:reports", "/staff/dashboard/reports/", "officer", 403),
    Row(
        "dashboard:report",
        "/staff/dashboard/reports/{report_draft}/",
        "opcc",
        200,
        "Neighbourhood Policing Guarantee",
        kwargs={"pk": "{report_draft}"},
    ),
    Row(
        "dashboard:report_publish",
        "/staff/dashboard/reports/{report_draft}/publish/",
        "opcc",
        405,
        kwargs={"pk": "{report_draft}"},
    ),
    Row(
        "dashboard:report_correct",
        "/staff/dashboard/reports/{report_published}/correct/",
        "opcc",
        405,
        kwargs={"pk": "{report_published}"},
    ),
    # --- dashboards.urls.reports: the published quarterly reports, under /performance/reports/ -
    Row("reports:list", "/performance/reports/", None, 200, "quarterly reports"),
    Row(
        "reports:detail",
        "/performance/reports/{report_quarter}/",
        None,
        200,
        "Neighbourhood Policing Guarantee",
        kwargs={"slug": "{report_quarter}"},
    ),
    Row(
        "reports:version",
        "/performance/reports/{report_quarter}/v1/",
        None,
        200,
        "Neighbourhood Policing Guarantee",
        kwargs={"slug": "{report_quarter}", "version": "1"},
    ),
    Row(
        # A draft is not public.
        "reports:detail",
        "/performance/reports/{report_draft_quarter}/",
        None,
        404,
        kwargs={"slug": "{report_draft_quarter}"},
    ),
    Row(
        "dashboard:plan_coverage",
        "/staff/dashboard/plan/",
        "opcc",
        200,
        "Police and Crime Plan coverage",
    ),
    Row(
        "dashboard:plan_coverage_export",
        "/staff/dashboard/plan/export.csv",
        "opcc",
        200,
        "Plan priority,Neighbourhoods working on it",
        content_type=CSV,
    ),
    Row("dashboard:patrols", "/staff/dashboard/patrols/", "opcc", 200, "Hotspot patrols"),
    Row(
        "dashboard:patrols_export",
        "/staff/dashboard/patrols/export.csv",
        "opcc",
        200,
        "Market Place and the Cornmarket",
        content_type=CSV,
    ),
    Row(
        "dashboard:patrols_hotspot",
        "/staff/dashboard/patrols/hotspots/{hotspot}/",
        "opcc",
        200,
        "Market Place and the Cornmarket",
        kwargs={"pk": "{hotspot}"},
    ),
    # --- patrols.urls: the public summary of hotspot patrols ----------------------------------
    Row("patrols:force", "/patrols/", None, 200, "Hotspot patrols"),
    Row(
        "patrols:force_csv",
        "/patrols/export.csv",
        None,
        200,
        "Area,Month,Officer hours on patrol",
        content_type=CSV,
    ),
    Row(
        "patrols:division",
        "/patrols/derby-city/",
        None,
        200,
        "Hotspot patrols",
        kwargs={"division": "derby-city"},
    ),
    Row(
        "patrols:division_csv",
        "/patrols/derby-city/export.csv",
        None,
        200,
        "Derby City division",
        kwargs={"division": "derby-city"},
        content_type=CSV,
    ),
    Row(
        "patrols:neighbourhood",
        f"/neighbourhoods/{AREA}/patrols/",
        None,
        200,
        "Hotspot patrols",
        kwargs={"slug": AREA},
    ),
    Row(
        "patrols:neighbourhood_csv",
        f"/neighbourhoods/{AREA}/patrols/export.csv",
        None,
        200,
        "Derby City Centre",
        kwargs={"slug": AREA},
        content_type=CSV,
    ),
    # --- patrols.staff_urls: logging patrols and defining hotspots, under /staff/patrols/ ----
    Row("patrols_staff:home", "/staff/patrols/", "officer", 200, "Hotspot patrols"),
    Row("patrols_staff:log", "/staff/patrols/new/", "officer", 200, "Log a patrol"),
    Row("patrols_staff:hotspots", "/staff/patrols/hotspots/", "sergeant", 200, "Hotspots"),
    Row(
        "patrols_staff:hotspot_new",
        "/staff/patrols/hotspots/new/",
        "sergeant",
        200,
        "Define a hotspot",
    ),
    Row(
        "patrols_staff:hotspot_edit",
        "/staff/patrols/hotspots/{hotspot}/edit/",
        "sergeant",
        200,
        "Change Market Place and the Cornmarket",
        kwargs={"pk": "{hotspot}"},
    ),
    # --- engagement.urls.priorities_staff: priorities, under /staff/priorities/ ---------------
    Row("priorities_staff:list", "/staff/priorities/", "officer", 200, "Local priorities"),
    Row("priorities_staff:new", "/staff/priorities/new/", "officer", 200, "Add a priority"),
    Row(
        "priorities_staff:edit",
        "/staff/priorities/{priority}/edit/",
        "officer",
        200,
        "Update a priority",
        kwargs={"pk": "{priority}"},
    ),
    # --- engagement.urls.surveys_staff: surveys, under /staff/surveys/ ------------------------
    Row("surveys_staff:list", "/staff/surveys/", "officer", 200, "Have your say surveys"),
    Row("surveys_staff:new", "/staff/surveys/new/", "officer", 200, "Add a survey"),
    Row(
        "surveys_staff:results",
        "/staff/surveys/{survey}/",
        "officer",
        200,
        "What should we focus on next?",
        kwargs={"pk": "{survey}"},
    ),
    Row(
        "surveys_staff:edit",
        "/staff/surveys/{survey}/edit/",
        "officer",
        200,
        "Change a survey",
        kwargs={"pk": "{survey}"},
    ),
    Row(
        "surveys_staff:moderate",
        "/staff/surveys/{survey}/answers/{answer}/moderate/",
        "officer",
        405,
        kwargs={"pk": "{survey}", "response_pk": "{answer}"},
    ),
    # --- engagement.urls.surveys: Have your say, under /have-your-say/ ------------------------
    Row(
        "surveys:survey",
        "/have-your-say/{survey}/",
        None,
        200,
        "What should we focus on next?",
        kwargs={"pk": "{survey}"},
    ),
    Row("surveys:sent", "/have-your-say/check-your-email/", None, 302, location="/"),
    Row(
        "surveys:confirm",
        f"/have-your-say/confirm/{UNKNOWN_TOKEN}/",
        None,
        404,
        "This link does not work",
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    Row(
        "surveys:support",
        "/have-your-say/priorities/{priority}/support/",
        None,
        200,
        "Support this priority",
        kwargs={"pk": "{priority}"},
    ),
    Row(
        "surveys:support_confirm",
        f"/have-your-say/priorities/confirm/{UNKNOWN_TOKEN}/",
        None,
        404,
        "This link does not work",
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    # --- alerts.urls: email alerts, under /alerts/ --------------------------------------------
    Row("alerts:subscribe", "/alerts/", None, 200, "Get email alerts"),
    Row("alerts:check_email", "/alerts/check-your-email/", None, 302, location="/alerts/"),
    Row(
        "alerts:confirm",
        f"/alerts/confirm/{UNKNOWN_TOKEN}/",
        None,
        404,
        "This link does not work",
        kwargs={"token": UNKNOWN_TOKEN},
    ),
    Row(
        "alerts:manage",
        f"/alerts/manage/{UNKNOWN_SIGNED}/",
        None,
        404,
        "This link does not work",
        kwargs={"signed": UNKNOWN_SIGNED},
    ),
    Row(
        "alerts:unsubscribe",
        f"/alerts/unsubscribe/{UNKNOWN_SIGNED}/",
        None,
        404,
        "This link does not work",
        kwargs={"signed": UNKNOWN_SIGNED},
    ),
    # --- api.urls: the data API, under /api/ --------------------------------------------------
    Row("api:openapi", "/api/openapi.json", None, 200, '"openapi": "3.1.0"', content_type=JSON),
    Row("api:force_list", "/api/forces", None, 200, '"id": "derbyshire"', content_type=JSON),
    Row(
        "api:force_detail",
        "/api/forces/derbyshire",
        None,
        200,
        '"id": "derbyshire"',
        kwargs={"force": "derbyshire"},
        content_type=JSON,
    ),
    Row(
        "api:locate_neighbourhood",
        "/api/locate-neighbourhood",
        None,
        200,
        '"neighbourhood": "DC01"',
        query={"q": "52.9225,-1.4746"},
        content_type=JSON,
    ),
    Row(
        "api:locate_neighbourhood",
        "/api/locate-neighbourhood",
        None,
        400,
        '"error": "Give the point as q=',
    ),
    Row(
        "api:neighbourhood_list",
        "/api/derbyshire/neighbourhoods",
        None,
        200,
        '"id": "DC01", "name": "Derby City Centre"',
        kwargs={"force": "derbyshire"},
        content_type=JSON,
    ),
    Row(
        "api:neighbourhood",
        "/api/derbyshire/DC01",
        None,
        200,
        '"name": "Derby City Centre"',
        kwargs={"force": "derbyshire", "neighbourhood": "DC01"},
        content_type=JSON,
    ),
    Row(
        "api:neighbourhood_boundary",
        "/api/derbyshire/DC01/boundary",
        None,
        200,
        '"latitude": "52.9225"',
        kwargs={"force": "derbyshire", "neighbourhood": "DC01"},
        content_type=JSON,
    ),
    Row(
        "api:neighbourhood_people",
        "/api/derbyshire/DC01/people",
        None,
        200,
        '"name": "Priya Sharma"',
        kwargs={"force": "derbyshire", "neighbourhood": "DC01"},
        content_type=JSON,
    ),
    Row(
        "api:neighbourhood_events",
        "/api/derbyshire/DC01/events",
        None,
        200,
        '"title": "Derby City Centre beat meeting"',
        kwargs={"force": "derbyshire", "neighbourhood": "DC01"},
        content_type=JSON,
    ),
    Row(
        "api:neighbourhood_priorities",
        "/api/derbyshire/DC01/priorities",
        None,
        200,
        "Speeding vehicles near the primary school",
        kwargs={"force": "derbyshire", "neighbourhood": "DC01"},
        content_type=JSON,
    ),
    Row(
        "api:performance_force",
        "/api/performance/force.json",
        None,
        200,
        '"name": "Open Government Licence v3.0"',
        content_type=JSON,
    ),
    Row(
        "api:performance_force_csv",
        "/api/performance/force.csv",
        None,
        200,
        "month,first_day,last_day,queries,answered_within_target",
        content_type=CSV,
    ),
    Row(
        "api:performance_division",
        "/api/performance/divisions/derby-city.json",
        None,
        200,
        '"type": "division", "id": "derby-city", "name": "Derby City"',
        kwargs={"division": "derby-city"},
        content_type=JSON,
    ),
    Row(
        "api:performance_division_csv",
        "/api/performance/divisions/derby-city.csv",
        None,
        200,
        "month,first_day,last_day,queries,answered_within_target",
        kwargs={"division": "derby-city"},
        content_type=CSV,
    ),
    Row(
        "api:performance_neighbourhood",
        "/api/performance/neighbourhoods/DC01.json",
        None,
        200,
        '"type": "neighbourhood", "id": "DC01", "name": "Derby City Centre"',
        kwargs={"neighbourhood": "DC01"},
        content_type=JSON,
    ),
    Row(
        "api:performance_neighbourhood_csv",
        "/api/performance/neighbourhoods/DC01.csv",
        None,
        200,
        "month,first_day,last_day,queries,answered_within_target",
        kwargs={"neighbourhood": "DC01"},
        content_type=CSV,
    ),
    Row(
        "api:not_found",
        "/api/no/such/method",
        None,
        404,
        '"error": "There is no such API method.',
        kwargs={"path": "no/such/method"},
    ),
    # --- api.open311.urls: Open311 GeoReport v2 ---------------------------------------------
    Row(
        "open311:openapi",
        "/open311/v2/openapi.json",
        None,
        200,
        '"openapi": "3.1.0"',
        content_type=JSON,
    ),
    Row(
        "open311:discovery",
        "/open311/v2/discovery.json",
        None,
        200,
        '"type": "production"',
        kwargs={"fmt": "json"},
        content_type=JSON,
    ),
    Row(
        "open311:services",
        "/open311/v2/services.xml",
        None,
        200,
        "<service_code>asb</service_code>",
        kwargs={"fmt": "xml"},
        content_type="text/xml",
    ),
    Row(
        "open311:service",
        "/open311/v2/services/drugs.json",
        None,
        200,
        '"service_code": "drugs"',
        kwargs={"code": "drugs", "fmt": "json"},
        content_type=JSON,
    ),
    Row(
        "open311:requests",
        "/open311/v2/requests.json",
        None,
        200,
        kwargs={"fmt": "json"},
        content_type=JSON,
    ),
    Row(
        "open311:request",
        "/open311/v2/requests/DY-ZZZZ-ZZZ.json",
        None,
        404,
        '"code": 404',
        kwargs={"reference": "DY-ZZZZ-ZZZ", "fmt": "json"},
    ),
    Row(
        "open311:not_found",
        "/open311/v2/tokens/abc.json",
        None,
        404,
        '"code": 404',
        kwargs={"path": "tokens/abc.json"},
    ),
    # --- config.urls: the portal's own pages, and the admin's index only ----------------------
    Row("healthz", "/healthz", None, 200, '"status": "ok"', content_type=JSON),
    Row("cookie_notice_hide", "/cookies/hide/", None, 405),
    # --- asb.urls: anti-social behaviour, under /asb/ and /staff/asb/ -------------------------
    Row("asb:home", "/asb/", None, 200, "Anti-social behaviour"),
    Row("asb:report", "/asb/report/", None, 200, "What kind of behaviour do you want to report?"),
    Row(
        "asb:report",
        "/asb/report/",
        None,
        302,
        location="/asb/report/noise/",
        query={"asked": "1", "kind": "noise"},
    ),
    Row(
        "asb:report_answer",
        "/asb/report/noise/",
        None,
        200,
        "Who to report it to",
        kwargs={"kind": "noise"},
    ),
    Row("asb_staff:plan", "/staff/asb/", "asblead", 200, "ASB action plan"),
    Row("asb_staff:plan", "/staff/asb/", None, 302, location=f"{SIGN_IN}/staff/asb/"),
    Row("asb_staff:plan", "/staff/asb/", "opcc", 403),
    Row("asb_staff:action_new", "/staff/asb/actions/new/", "asblead", 200, "Add an action"),
    Row(
        "asb_staff:action_edit",
        "/staff/asb/actions/{asb_action}/edit/",
        "asblead",
        200,
        "Change an action",
        kwargs={"pk": "{asb_action}"},
    ),
    Row(
        "asb_staff:section_new",
        "/staff/asb/sections/new/",
        "asblead",
        200,
        "Add a section to the plan",
    ),
    Row(
        "asb_staff:delegates",
        "/staff/asb/delegates/",
        "asblead",
        200,
        "People who edit the plan for you",
    ),
    Row(
        "asb_staff:delegate_remove",
        "/staff/asb/delegates/1/remove/",
        "asblead",
        405,
        kwargs={"pk": "1"},
    ),
    # --- crimeplan.urls: the Police and Crime Plan ----------------------------------------------
    Row("crimeplan:plan", "/police-and-crime-plan/", None, 200, "Police and Crime Plan"),
    Row(
        "crimeplan_staff:plans",
        "/staff/police-and-crime-plan/",
        "opcc",
        200,
        "Police and Crime Plan",
    ),
    Row("crimeplan_staff:plans", "/staff/police-and-crime-plan/", "officer", 403),
    Row(
        "crimeplan_staff:plan_new",
        "/staff/police-and-crime-plan/new/",
        "opcc",
        200,
        "Publish a new plan",
    ),
    Row(
        "crimeplan_staff:plan_edit",
        "/staff/police-and-crime-plan/{plan}/edit/",
        "opcc",
        200,
        "Change the plan",
        kwargs={"pk": "{plan}"},
    ),
    Row(
        "crimeplan_staff:priority_new",
        "/staff/police-and-crime-plan/{plan}/priorities/new/",
        "opcc",
        200,
        "Add a plan priority",
        kwargs={"pk": "{plan}"},
    ),
    Row(
        "crimeplan_staff:priority_edit",
        "/staff/police-and-crime-plan/priorities/{plan_priority}/edit/",
        "opcc",
        200,
        "Change a plan priority",
        kwargs={"pk": "{plan_priority}"},
    ),
    Row(
        "crimeplan_staff:tag_list",
        "/staff/police-and-crime-plan/tags/",
        "officer",
        200,
        "Tag your priorities with the Police and Crime Plan",
    ),
    Row(
        "crimeplan_staff:tag",
        "/staff/police-and-crime-plan/tags/{priority}/",
        "officer",
        200,
        "Plan priorities this serves",
        kwargs={"pk": "{priority}"},
    ),
    Row("cookies", "/cookies/", None, 200, "Cookies"),
    Row("accessibility", "/accessibility/", None, 200, "Accessibility statement"),
    Row("privacy", "/privacy/", None, 200, "Privacy notice"),
    Row("language_switch", "/language/cy/", None, 302, location="/cy/", kwargs={"language": "cy"}),
    Row("admin:index", "/admin/", "admin", 200, "Administration"),
]


# --- The demo data, once for the module -------------------------------------------------------


def model(name: str):
    """The model class called `name`, in whichever app holds it now."""
    found = [m for m in apps.get_models() if m.__name__ == name]
    assert len(found) == 1, f"expected one model called {name}, found {found}"
    return found[0]


def _demo_keys() -> dict[str, str]:
    """The primary keys (and a reference) that paths hold, of known demo objects."""
    now = timezone.now()
    series = model("Series").objects.get(
        neighbourhood__slug=AREA, title="Derby City Centre beat meeting"
    )
    next_meeting = (
        model("Event").objects.filter(series=series, starts_at__gt=now).order_by("starts_at")
    ).first()
    last_held = model("Event").objects.filter(series=series, status="held").latest("starts_at")
    survey = model("Survey").objects.get(
        neighbourhood__slug=AREA, question="What should we focus on next?"
    )
    priority = model("Priority").objects.get(
        neighbourhood__slug=AREA,
        issue="Speeding vehicles near the primary school at drop-off and pick-up",
    )
    query = model("Query").objects.get(message__startswith="Groups of teenagers have been")
    published = model("QuarterlyReport").objects.get(published_at__isnull=False)
    draft = model("QuarterlyReport").objects.get(published_at__isnull=True)
    keys = {
        "officer": model("Officer").objects.get(display_name="Priya Sharma").pk,
        "abstraction": model("Abstraction").objects.get(officer__display_name="Tom Ellis").pk,
        "series": series.pk,
        "event": next_meeting.pk,
        "held_event": last_held.pk,
        "survey": survey.pk,
        "answer": model("SurveyResponse").objects.filter(survey=survey).earliest("pk").pk,
        "priority": priority.pk,
        "reference": query.reference,
        "asb_action": model("Action")
        .objects.get(title="Evening patrols in Derby city centre on Thursday to Saturday nights")
        .pk,
        "plan": model("Plan").objects.get(title="Police and Crime Plan 2024 to 2028").pk,
        "plan_priority": model("PlanPriority").objects.get(title="Road safety").pk,
        "postcode": model("Postcode").objects.filter(neighbourhood__slug=AREA).first().postcode,
        "report_published": published.pk,
        "report_quarter": f"{published.year}-{(published.year + 1) % 100:02d}-q{published.number}",
        "report_draft": draft.pk,
        "report_draft_quarter": f"{draft.year}-{(draft.year + 1) % 100:02d}-q{draft.number}",
        "hotspot": model("Hotspot").objects.get(name="Market Place and the Cornmarket").pk,
    }
    return {key: str(value) for key, value in keys.items()}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The demo data, seeded once inside a transaction rolled back when the module ends:
    each test runs in a savepoint of its own on top of it, and no other module sees it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield _demo_keys()
        transaction.set_rollback(True)


# --- Reading an answer ------------------------------------------------------------------------


def headings(page: str) -> list[str]:
    """The text of each <h1>, tags dropped and spaces collapsed."""
    found = re.findall(r"<h1\b[^>]*>(.*?)</h1>", page, flags=re.DOTALL | re.IGNORECASE)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in found]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def sign_in(client, username: str | None) -> None:
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))


# --- The table --------------------------------------------------------------------------------


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in ROWS])
def test_url_keeps_its_name_path_and_answer(demo, client, row):
    path = row.path.format(**demo)
    kwargs = {key: value.format(**demo) for key, value in row.kwargs.items()}

    assert reverse(row.name, kwargs=kwargs) == path
    assert resolve(path).view_name == row.name

    sign_in(client, row.user)
    response = client.get(path, {key: value.format(**demo) for key, value in row.query.items()})

    assert response.status_code == row.status, f"GET {path} as {row.user or 'anonymous'}"
    if row.status == 302:
        assert response["Location"] == row.location.format(**demo)
        return
    if row.status == 200:
        assert response["Content-Type"].startswith(row.content_type)
    if row.shows:
        text, shows = body(response), row.shows.format(**demo)
        if response["Content-Type"].startswith(HTML):
            found = headings(text)
            assert any(shows in heading for heading in found), f"{shows!r} not in {found}"
        else:
            assert shows in text


# --- Completeness -----------------------------------------------------------------------------


def named_urls(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """Every `namespace:name` the resolver answers, through its includes."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= named_urls(pattern, inner)
        elif pattern.name:
            names.add(f"{prefix}{pattern.name}")
    return names


def test_every_named_url_is_in_the_table():
    answered = {name for name in named_urls() if not name.startswith("admin:")}
    pinned = {row.name for row in ROWS if not row.name.startswith("admin:")}

    missing, extra = sorted(answered - pinned), sorted(pinned - answered)
    assert not missing and not extra, (
        f"Named URLs the portal answers but the table does not pin: {missing or 'none'}. "
        f"Named URLs in the table the portal no longer answers (dropped or renamed): "
        f"{extra or 'none'}."
    )


# --- Pages reached through a form -------------------------------------------------------------


def test_a_real_tracking_link_opens_its_query(demo, client):
    """The contact form's confirmation shows the tracking link once; it opens the query."""
    sent = client.post(
        f"/neighbourhoods/{AREA}/contact/",
        {
            "topic": "other",
            "message": "Is there a beat meeting planned near the station next month?",
            "name": "Robin Resident",
            "email": "robin.resident@example.com",
            "contact_preference": "email",
            "consent": "on",
        },
    )
    assert sent.status_code == 302
    assert sent["Location"] == "/contact/sent/"

    confirmation = client.get("/contact/sent/")
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    links = re.findall(r'href="https?://[^/"]+(/queries/track/[A-Za-z0-9_-]+/)"', page)
    assert links, "no tracking link on the confirmation page"
    assert resolve(links[0]).view_name == "queries:track"

    tracked = client.get(links[0])
    assert tracked.status_code == 200
    reference = re.search(r"DY-[A-Z0-9]{4}-[A-Z0-9]{3}", page).group()
    found = headings(tracked.content.decode())
    assert any(reference in heading for heading in found), f"{reference} not in {found}"


@pytest.mark.parametrize(
    ("form", "data", "sent_to", "shows"),
    [
        pytest.param(
            "/events/{event}/register/",
            {"name": "Robin Resident", "email": "robin.resident@example.com"},
            "/events/registered/",
            "You are registered",
            id="meetings:registration_confirmation",
        ),
        pytest.param(
            "/have-your-say/priorities/{priority}/support/",
            {"email": "robin.resident@example.com"},
            "/have-your-say/check-your-email/",
            "Check your email",
            id="surveys:sent",
        ),
        pytest.param(
            "/alerts/",
            {
                "email": "robin.resident@example.com",
                "neighbourhoods": [AREA],
                "topics": ["events", "priorities", "surveys"],
                "frequency": "immediate",
            },
            "/alerts/check-your-email/",
            "Check your email",
            id="alerts:check_email",
        ),
    ],
)
def test_a_page_after_a_form_answers_once_the_form_is_sent(
    demo, client, form, data, sent_to, shows
):
    sent = client.post(form.format(**demo), data)
    assert sent.status_code == 302
    assert sent["Location"] == sent_to

    page = client.get(sent_to)
    assert page.status_code == 200
    text = page.content.decode()
    found = headings(text)
    assert any(shows in heading for heading in found), f"{shows!r} not in {found}"
    assert data["email"] in text
