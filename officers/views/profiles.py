"""Officers' public profiles and the directory, and editing a profile: a draft, its preview,
then publishing it."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.forms import add_service_errors
from config.pagination import paginate
from officers import permissions, photos, selectors, services
from officers.forms import DirectoryFilterForm, OfficerProfileForm
from officers.models import Officer

DIRECTORY_PAGE_SIZE = 25


DRAFTS_SESSION_KEY = "officers.profile_drafts"


DRAFTS_KEPT = 5


@require_safe
def officer_profile(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        officer = selectors.officer_for_profile(pk=pk)
    except Officer.DoesNotExist as exc:
        raise Http404("No such officer") from exc
    can_edit = request.user.is_authenticated and permissions.can_edit_officer_profile(
        request.user, officer
    )
    return render(
        request,
        "officers/profile.html",
        {
            "officer": officer,
            "photo_url": officer.photo.url if officer.photo else "",
            "can_edit": can_edit,
        },
    )


@require_safe
def officer_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET, neighbourhoods=selectors.neighbourhood_choices())
    context = {"form": form, "page": None, "page_error": ""}
    if not form.is_valid():
        return render(request, "officers/directory.html", context)
    neighbourhood = form.cleaned_data["neighbourhood"]
    officers = selectors.officer_directory(
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
        name=form.cleaned_data["name"],
    )
    paged = paginate(request, officers, DIRECTORY_PAGE_SIZE)
    context.update(paged.context(), neighbourhood=neighbourhood)
    return render(request, "officers/directory.html", context, status=paged.status)


def _editable_officer(request: HttpRequest, pk: int) -> Officer:
    officer = get_object_or_404(Officer, pk=pk)
    if not permissions.can_edit_officer_profile(request.user, officer):
        raise PermissionDenied
    return officer


def _edit_url(officer: Officer, *, own: bool) -> str:
    if own:
        return reverse("officers:own_profile_edit")
    return reverse("officers:profile_edit", kwargs={"pk": officer.pk})


def _drafts(request: HttpRequest) -> dict[str, dict]:
    return request.session.get(DRAFTS_SESSION_KEY, {})


def _draft_save(request: HttpRequest, officer: Officer, form: OfficerProfileForm, own: bool) -> str:
    """Keep previewed values in the session (the newest few) and return their id."""
    drafts = _drafts(request)
    draft_id = secrets.token_urlsafe(9)
    drafts[draft_id] = {"officer": officer.pk, "own": own, "data": form.draft()}
    request.session[DRAFTS_SESSION_KEY] = dict(list(drafts.items())[-DRAFTS_KEPT:])
    return draft_id


def _draft_get(request: HttpRequest, officer: Officer, draft_id: str) -> dict | None:
    draft = _drafts(request).get(draft_id)
    if draft is None or draft["officer"] != officer.pk:
        return None
    return draft


def _draft_form(officer: Officer, draft: dict) -> OfficerProfileForm:
    """The edit form bound to a draft's values, checked again as if just submitted."""
    edit_url = _edit_url(officer, own=draft["own"])
    return OfficerProfileForm(draft["data"], officer=officer, inline_url=edit_url)


def _draft_drop(request: HttpRequest, draft_id: str) -> None:
    drafts = _drafts(request)
    drafts.pop(draft_id, None)
    request.session[DRAFTS_SESSION_KEY] = drafts


def _render_form(
    request: HttpRequest, officer: Officer, form: OfficerProfileForm, *, own: bool
) -> HttpResponse:
    return render(
        request,
        "officers/profile_form.html",
        {"officer": officer, "form": form, "own": own, "edit_url": _edit_url(officer, own=own)},
    )


def _profile_edit(request: HttpRequest, officer: Officer, *, own: bool) -> HttpResponse:
    edit_url = _edit_url(officer, own=own)
    if request.method in ("GET", "HEAD"):
        draft = _draft_get(request, officer, request.GET.get("draft", ""))
        initial = draft["data"] if draft else OfficerProfileForm.initial_for(officer)
        form = OfficerProfileForm(initial=initial, officer=officer, inline_url=edit_url)
        return _render_form(request, officer, form, own=own)

    form = OfficerProfileForm(request.POST, request.FILES, officer=officer, inline_url=edit_url)
    if request.htmx and request.htmx.trigger_name in OfficerProfileForm.INLINE_FIELDS:
        field = form[request.htmx.trigger_name]
        return render(request, "officers/profile_form.html#field", {"field": field})
    if not form.is_valid():
        return _render_form(request, officer, form, own=own)
    draft_id = _draft_save(request, officer, form, own)
    return redirect("officers:profile_preview", pk=officer.pk, draft=draft_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def own_profile_edit(request: HttpRequest) -> HttpResponse:
    officer = Officer.objects.filter(user=request.user).first()
    if officer is None or not permissions.can_edit_officer_profile(request.user, officer):
        raise PermissionDenied
    return _profile_edit(request, officer, own=True)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def officer_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_edit(request, _editable_officer(request, pk), own=False)


def _expired(request: HttpRequest, officer: Officer) -> HttpResponse:
    messages.info(request, gettext("Your preview has expired. Make your changes again."))
    return redirect(_edit_url(officer, own=officer.user_id == request.user.pk))


@require_safe
@login_required
def officer_profile_preview(request: HttpRequest, pk: int, draft: str) -> HttpResponse:
    officer = _editable_officer(request, pk)
    saved = _draft_get(request, officer, draft)
    if saved is None:
        return _expired(request, officer)
    form = _draft_form(officer, saved)
    if not form.is_valid():
        return _render_form(request, officer, form, own=saved["own"])
    preview = selectors.officer_for_profile(pk=officer.pk)
    for name in ("bio", "responsibilities", "languages", "email", "phone"):
        setattr(preview, name, form.cleaned_data[name])
    for name, text in form.welsh_data().items():
        setattr(preview, name, text)
    if form.pending_photo_token:
        photo_url = reverse(
            "officers:pending_photo", kwargs={"pk": officer.pk, "token": form.pending_photo_token}
        )
    else:
        photo_url = officer.photo.url if officer.photo else ""
    return render(
        request,
        "officers/profile_preview.html",
        {
            "officer": preview,
            "photo_url": photo_url,
            "draft_id": draft,
            "change_url": f"{_edit_url(officer, own=saved['own'])}?draft={draft}",
        },
    )


@require_POST
@login_required
def officer_profile_publish(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _editable_officer(request, pk)
    draft_id = request.POST.get("draft", "")
    saved = _draft_get(request, officer, draft_id)
    if saved is None:
        return _expired(request, officer)
    form = _draft_form(officer, saved)
    if form.is_valid():
        try:
            services.officer_profile_update(
                officer=officer,
                by=request.user,
                bio=form.cleaned_data["bio"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                responsibilities=form.cleaned_data["responsibilities"],
                languages=form.cleaned_data["languages"],
                photo=form.new_photo,
                **form.welsh_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if not form.is_valid():
        return _render_form(request, officer, form, own=saved["own"])
    if form.pending_photo_token:
        photos.pending_photo_discard(officer_id=officer.pk, token=form.pending_photo_token)
    _draft_drop(request, draft_id)
    messages.success(request, gettext("The profile is published"))
    return redirect(officer.get_absolute_url())


@require_safe
@login_required
@never_cache
def pending_photo(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A processed photo waiting to be published, shown on the preview to its editors only."""
    officer = _editable_officer(request, pk)
    try:
        photo = photos.pending_photo_load(officer_id=officer.pk, token=token)
    except photos.PhotoError as exc:
        raise Http404("No such photo") from exc
    return HttpResponse(photo.content, content_type="image/jpeg")
