from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from officers import abstraction_views, views
from officers.forms import SignInForm, StaffPasswordResetForm, StaffSetPasswordForm

app_name = "officers"
urlpatterns = [
    path("officers/", views.officer_directory, name="directory"),
    path("officers/<int:pk>/", views.officer_profile, name="profile"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/away/", views.own_away_set, name="own_away_set"),
    path("staff/profile/", views.own_profile_edit, name="own_profile_edit"),
    path("staff/officers/<int:pk>/edit/", views.officer_profile_edit, name="profile_edit"),
    path(
        "staff/officers/<int:pk>/edit/preview/<str:draft>/",
        views.officer_profile_preview,
        name="profile_preview",
    ),
    path(
        "staff/officers/<int:pk>/edit/publish/",
        views.officer_profile_publish,
        name="profile_publish",
    ),
    path(
        "staff/officers/<int:pk>/edit/photo/<str:token>/",
        views.pending_photo,
        name="pending_photo",
    ),
    path("staff/coverage/", views.coverage, name="coverage"),
    path("staff/abstractions/", abstraction_views.home, name="abstractions"),
    path("staff/abstractions/new/", abstraction_views.log, name="abstraction_log"),
    path(
        "staff/abstractions/<int:pk>/correct/",
        abstraction_views.correct,
        name="abstraction_correct",
    ),
    path("staff/abstractions/<int:pk>/end/", abstraction_views.end, name="abstraction_end"),
    path("staff/abstractions/report/", abstraction_views.report, name="abstraction_report"),
    path(
        "staff/abstractions/report/csv/",
        abstraction_views.report_csv,
        name="abstraction_report_csv",
    ),
    path(
        "staff/sign-in/",
        auth_views.LoginView.as_view(
            template_name="officers/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("staff/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "staff/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="officers/password_reset_form.html",
            email_template_name="officers/email/password_reset.txt",
            subject_template_name="officers/email/password_reset_subject.txt",
            form_class=StaffPasswordResetForm,
            success_url=reverse_lazy("officers:password_reset_done"),
        ),
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
