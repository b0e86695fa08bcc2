"""The staff inbox and a query's page, with one plain POST form (and URL) per action."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from audit.services import audit_view
from config.forms import add_service_errors
from config.http import client_ip
from config.pagination import paginate
from config.roles import Role, user_roles
from queries import permissions
from queries.models import Query
from queries.permissions import QueryAccess
from queries.selectors import inbox as selectors
from queries.selectors.feedback import COMMENT_HIDDEN, query_feedback
from queries.services import staff as services
from queries.staff_forms import CloseForm, InboxFilterForm, NoteForm, ReassignForm, ReplyForm

INBOX_PAGE_SIZE = 25


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if not roles & permissions.INBOX_ROLES:
        raise PermissionDenied
    offered = selectors.whose_choices(roles)
    form = InboxFilterForm(request.GET, offered=offered)
    chosen, whose = form.chosen(), form.chosen_whose()
    now = timezone.now()
    queries = selectors.inbox_queries(user=request.user, chosen=chosen, whose=whose, now=now)
    paged = paginate(request, queries, INBOX_PAGE_SIZE)
    status = paged.status
    context = {
        "form": form,
        "chosen": chosen,
        "whose": whose,
        # Someone who can hold no queries (OPCC, an administrator) reads them all.
        "holds_queries": bool(offered),
        "read_only": Role.ADMINISTRATOR not in roles and not offered,
        "filters": list(selectors.InboxFilter),
        "target_hours": settings.RESPONSE_TARGET_HOURS,
        **paged.context(),
    }
    if paged.page is not None:
        context["rows"] = selectors.inbox_rows(paged.page, now)
    # htmx swaps only the results; a history restore needs the whole page again.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "queries/inbox.html#results" if partial else "queries/inbox.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _readable(request: HttpRequest, reference: str) -> tuple[Query, QueryAccess]:
    try:
        query = selectors.query_for_staff(reference=reference)
    except Query.DoesNotExist as exc:
        raise Http404("No query with this reference") from exc
    access = permissions.query_access(request.user, query)
    if not access.read:
        raise PermissionDenied
    return query, access


def _detail_page(
    request: HttpRequest,
    query: Query,
    access: QueryAccess,
    *,
    failed: tuple[str, Form] | None = None,
) -> HttpResponse:
    now = timezone.now()
    open_to_action = access.act and query.status != Query.Status.CLOSED
    forms: dict[str, Form] = {}
    if open_to_action:
        forms["reply"] = ReplyForm(phone_only=not query.email)
        forms["close"] = CloseForm()
        if access.reassign:
            forms["reassign"] = ReassignForm(candidates=services.reassign_candidates(query))
    if access.act:
        forms["note"] = NoteForm()
    if failed:
        forms[failed[0]] = failed[1]
    # Recorded (and committed) before the page is built, so a page that fails still counts.
    shown = "with" if access.see_resident else "without"
    audit_view(
        request=request,
        subject_type="query",
        subject_id=query.pk,
        reference=query.reference,
        detail=f"staff query page, {shown} the resident's details",
    )
    return render(
        request,
        "queries/staff_query.html",
        {
            "query": query,
            "access": access,
            "time_left": selectors.time_left(query, now),
            "tag": selectors.status_tag(query, now),
            "timeline": selectors.query_timeline(query=query, see_resident=access.see_resident),
            "feedback": query_feedback(query=query, see_resident=access.see_resident),
            "comment_hidden": COMMENT_HIDDEN,
            "hidden_outcome": selectors.HIDDEN_MAY_NAME_THE_RESIDENT,
            "forms": forms,
            # The error summary and the page title speak of the form that failed.
            "form": failed[1] if failed else None,
        },
    )


@require_safe
@login_required
def query_detail(request: HttpRequest, reference: str) -> HttpResponse:
    query, access = _readable(request, reference)
    return _detail_page(request, query, access)


def _perform(
    request: HttpRequest,
    query: Query,
    access: QueryAccess,
    name: str,
    form: Form,
    action: Callable[[dict], str],
) -> HttpResponse:
    """Validate the form, call the service through `action` (which returns the success
    message), then go back to the query's page; or show the page again with the errors."""
    if form.is_valid():
        try:
            success = action(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(query)
    return _detail_page(request, query, access, failed=(name, form))


@require_POST
@login_required
def query_reply(request: HttpRequest, reference: str) -> HttpResponse:
    query, access = _readable(request, reference)
    if not access.act:
        raise PermissionDenied

    def reply(data: dict) -> str:
        services.query_reply(
            query=query, by=request.user, message=data["message"], address=client_ip(request)
        )
        if query.email:
            return gettext("Your reply was emailed to the resident (%(email)s).") % {
                "email": query.email
            }
        if query.phone:
            return gettext(
                "Your reply is recorded. Phone the resident on %(phone)s to give it."
            ) % {"phone": query.phone}
        return gettext(
            "Your reply is recorded. The resident left no email address or phone number."
        )

    form = ReplyForm(request.POST, phone_only=not query.email)
    return _perform(request, query, access, "reply", form, reply)


@require_POST
@login_required
def query_note(request: HttpRequest, reference: str) -> HttpResponse:
    query, access = _readable(request, reference)
    if not access.act:
        raise PermissionDenied

    def note(data: dict) -> str:
        services.query_note(
            query=query, by=request.user, body=data["body"], address=client_ip(request)
        )
        return gettext("Your note is added.")

    return _perform(request, query, access, "note", NoteForm(request.POST), note)


@require_POST
@login_required
def query_reassign(request: HttpRequest, reference: str) -> HttpResponse:
    query, access = _readable(request, reference)
    if not access.reassign:
        raise PermissionDenied

    def reassign(data: dict) -> str:
        officer = data["officer"]
        services.query_reassign(
            query=query,
            by=request.user,
            officer=officer,
            reason=data["reason"],
            address=client_ip(request),
        )
        words = {"name": officer.display_name}
        if officer.contact_email:
            return (
                gettext("The query is now assigned to %(name)s. They have been told by email.")
                % words
            )
        return gettext("The query is now assigned to %(name)s.") % words

    form = ReassignForm(request.POST, candidates=services.reassign_candidates(query))
    return _perform(request, query, access, "reassign", form, reassign)


@require_POST
@login_required
def query_close(request: HttpRequest, reference: str) -> HttpResponse:
    query, access = _readable(request, reference)
    if not access.act:
        raise PermissionDenied

    def close(data: dict) -> str:
        services.query_close(
            query=query, by=request.user, outcome=data["outcome"], address=client_ip(request)
        )
        return gettext("The query is closed.")

    return _perform(request, query, access, "close", CloseForm(request.POST), close)
