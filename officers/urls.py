"""The staff area's own pages: the staff home, the profile, abstractions, signing in and out,
the second factor and passwords. One address in every language (config.languages)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from officers.forms import SignInForm, StaffSetPasswordForm
from officers.views import abstractions, home, oidc, passwords, profiles, security

app_name = "officers"
urlpatterns = [
    path("staff/", home.staff_home, name="staff_home"),
    path("staff/away/", home.own_away_set, name="own_away_set"),
    path("staff/profile/", profiles.own_profile_edit, name="own_profile_edit"),
    path("staff/officers/<int:pk>/edit/", profiles.officer_profile_edit, name="profile_edit"),
    path(
        "staff/officers/<int:pk>/edit/preview/<str:draft>/",
        profiles.officer_profile_preview,
        name="profile_preview",
    ),
    path(
        "staff/officers/<int:pk>/edit/publish/",
        profiles.officer_profile_publish,
        name="profile_publish",
    ),
    path(
        "staff/officers/<int:pk>/edit/photo/<str:token>/",
        profiles.pending_photo,
        name="pending_photo",
    ),
    path("staff/coverage/", home.coverage, name="coverage"),
    path("staff/abstractions/", abstractions.home, name="abstractions"),
    path("staff/abstractions/new/", abstractions.log, name="abstraction_log"),
    path(
        "staff/abstractions/<int:pk>/correct/",
        abstractions.correct,
        name="abstraction_correct",
    ),
    path("staff/abstractions/<int:pk>/end/", abstractions.end, name="abstraction_end"),
    # The report is one of the dashboards (dashboards.urls.abstractions), kept at its address.
    path("staff/abstractions/report/", include("dashboards.urls.abstractions")),
    path(
        "staff/sign-in/",
        auth_views.LoginView.as_view(
            template_name="officers/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("staff/sign-in/code/", security.code, name="second_factor_code"),
    path("staff/sign-in/recovery-code/", security.recovery, name="second_factor_recovery"),
    path("staff/sign-in/waiting/", oidc.waiting, name="sso_waiting"),
    path("staff/sign-in/no-access/", oidc.no_access, name="sso_no_access"),
    path("staff/sign-out/", oidc.SignOut.as_view(), name="logout"),
    path("staff/account/security/", security.security, name="security"),
    path("staff/account/security/setup/", security.setup, name="second_factor_setup"),
    path(
        "staff/account/security/recovery-codes/",
        security.recovery_codes,
        name="recovery_codes",
    ),
    path(
        "staff/account/security/apps/<int:pk>/remove/",
        security.remove,
        name="second_factor_remove",
    ),
    path(
        "staff/account/security/keys/<int:pk>/remove/",
        security.key_remove,
        name="security_key_remove",
    ),
    path(
        "staff/password-reset/",
        passwords.StaffPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "staff/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="officers/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "staff/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="officers/password_reset_confirm.html",
            form_class=StaffSetPasswordForm,
            success_url=reverse_lazy("officers:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "staff/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="officers/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
