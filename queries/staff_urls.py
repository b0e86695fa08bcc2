"""The staff inbox and each query's page, under /staff/queries/."""

from django.urls import path

from queries.views import staff as views

app_name = "queries_staff"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<str:reference>/", views.query_detail, name="detail"),
    path("<str:reference>/reply/", views.query_reply, name="reply"),
    path("<str:reference>/note/", views.query_note, name="note"),
    path("<str:reference>/reassign/", views.query_reassign, name="reassign"),
    path("<str:reference>/close/", views.query_close, name="close"),
]
