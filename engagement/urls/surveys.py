"""The public Have your say pages, under /have-your-say/."""

from django.urls import path

from engagement.views import surveys as views

app_name = "surveys"

urlpatterns = [
    path("<int:pk>/", views.survey_detail, name="survey"),
    path("check-your-email/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("priorities/<int:pk>/support/", views.support, name="support"),
    path("priorities/confirm/<str:token>/", views.support_confirm, name="support_confirm"),
]
