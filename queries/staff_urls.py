"""The staff inbox and each query's page, under /staff/queries/."""

from django.urls import path, register_converter

from queries.converters import ReferenceConverter
from queries.views import staff as views

register_converter(ReferenceConverter, "reference")

app_name = "queries_staff"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<reference:reference>/", views.query_detail, name="detail"),
    path("<reference:reference>/reply/", views.query_reply, name="reply"),
    path("<reference:reference>/note/", views.query_note, name="note"),
    path("<reference:reference>/reassign/", views.query_reassign, name="reassign"),
    path("<reference:reference>/close/", views.query_close, name="close"),
]
