"""The audit in the admin, for administrators only: search by person and query reference,
filter by action and date range, download what is listed as CSV, and answer "who has seen my
query". Nobody can add, change or delete a record here.

`AuditedAdminMixin` is for the admins of models that hold residents' details: it records each
opening of a row's page and of its history."""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditRecord
from audit.services import audit_view
from config.spreadsheets import csv_lines

CSV_HEADER = [
    "When (UTC)",
    "Person",
    "Roles",
    "Action",
    "What",
    "Id",
    "Query reference",
    "From address",
    "Detail",
]


def _csv_rows(records: Iterable[AuditRecord]) -> Iterator[list[str]]:
    yield CSV_HEADER
    for record in records:
        yield [
            str(value)
            for value in (
                record.at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
                record.actor_name,
                record.actor_roles,
                record.get_action_display(),
                record.subject_type,
                record.subject_id,
                record.reference,
                record.address,
                record.detail,
            )
        ]


def csv_response(records: Iterable[AuditRecord], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(_csv_rows(records)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DateRangeFilter(admin.FieldListFilter):
    """From and to dates (both included), as a small form in the filter panel."""

    template = "admin/audit/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.from_name = f"{field_path}__date__gte"
        self.to_name = f"{field_path}__date__lte"
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self) -> list[str]:
        return [self.from_name, self.to_name]

    def choices(self, changelist):
        def value(name: str) -> str:
            chosen = self.used_parameters.get(name)
            return chosen[-1] if isinstance(chosen, list) else (chosen or "")

        kept = [
            (name, value)
            for name, values in changelist.params.items()
            if name not in (self.from_name, self.to_name, "p", "e")
            for value in (values if isinstance(values, list) else [values])
        ]
        yield {
            "from_name": self.from_name,
            "from_value": value(self.from_name),
            "to_name": self.to_name,
            "to_value": value(self.to_name),
            "kept": kept,
            "reset": changelist.get_query_string(remove=[self.from_name, self.to_name]),
        }


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "actor_roles",
        "action",
        "subject_type",
        "subject_id",
        "reference",
        "address",
        "detail",
    ]
    list_filter = ["action", "subject_type", ("at", DateRangeFilter)]
    search_fields = ["actor_name", "reference"]
    search_help_text = _("Search by person (username) or query reference.")
    list_per_page = 100
    show_full_result_count = False
    actions = ["download_selected"]
    change_list_template = "admin/audit/auditrecord/change_list.html"

    # Administrators only (the admin site's own test: an active staff account with the
    # Administrator role), whatever model permissions an account holds; and to read only.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("csv/", view(self.download_view), name="audit_auditrecord_csv"),
            path("seen/", view(self.seen_view), name="audit_auditrecord_seen"),
            *super().get_urls(),
        ]

    def _download(self, request: HttpRequest, records) -> HttpResponse:
        audit_view(
            request=request,
            action=AuditRecord.Action.EXPORTED,
            subject_type="audit",
            detail=f"CSV of the audit ({request.GET.urlencode()})"[:300],
        )
        stamp = timezone.now().strftime("%Y-%m-%d-%H%M")
        return csv_response(records.iterator(chunk_size=2000), f"audit-{stamp}.csv")

    @admin.action(description=_("Download the selected records as CSV"))
    def download_selected(self, request: HttpRequest, queryset) -> HttpResponse:
        return self._download(request, queryset.order_by("-at", "-pk"))

    def download_view(self, request: HttpRequest) -> HttpResponse:
        """Everything the list shows with its search and filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, _("Those filters are not valid: correct them and try again."))
            return redirect("admin:audit_auditrecord_changelist")
        return self._download(request, changelist.get_queryset(request))

    def seen_view(self, request: HttpRequest) -> HttpResponse:
        """A resident's subject access request: who has seen their query, with their role and
        when, from the reference they quote."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        reference = request.GET.get("reference", "").strip()[:40]
        views = AuditRecord.objects.views_of(reference).order_by("at", "pk") if reference else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Who has seen a query"),
            "opts": self.opts,
            "reference": reference,
            "views": views,
            "changelist_url": reverse("admin:audit_auditrecord_changelist"),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        }
        return TemplateResponse(request, "admin/audit/auditrecord/seen.html", context)


class AuditedAdminMixin:
    """For a ModelAdmin whose rows hold residents' details: each opening of a row's page or its
    history by someone allowed to see it is recorded, before the page is built."""

    audit_subject = ""
    # Set where the list itself shows residents' details (names in its columns).
    audit_changelist = False

    def audit_reference(self, obj) -> str:
        """The query reference the row belongs to, if any."""
        return ""

    def _audit_opening(self, request: HttpRequest, object_id: str, page: str) -> None:
        if request.method not in ("GET", "HEAD"):
            return
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return
        audit_view(
            request=request,
            subject_type=self.audit_subject or self.opts.model_name,
            subject_id=obj.pk,
            reference=self.audit_reference(obj),
            detail=f"admin {page}",
        )

    def changelist_view(self, request, extra_context=None):
        if (
            self.audit_changelist
            and request.method in ("GET", "HEAD")
            and self.has_view_or_change_permission(request)
        ):
            audit_view(
                request=request,
                subject_type=self.audit_subject or self.opts.model_name,
                detail=f"admin list {request.GET.urlencode()}".strip()[:300],
            )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audit_opening(request, object_id, "page")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._audit_opening(request, object_id, "history")
        return super().history_view(request, object_id, extra_context)
