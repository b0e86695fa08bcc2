"""The portal in English and Welsh: which pages have a Welsh version, the language switcher,
and the resident's remembered choice.

English pages keep their unprefixed addresses; the Welsh version of a public page is the same
address under /cy/ (`i18n_patterns` in config.urls). The staff area and the admin keep their
one address in every language: they are shown in the language chosen with the switcher (the
same cookie), and `language_chosen` tells the staff apps, which keep a signed-in member's choice
for the emails sent to them. The APIs are English only. A resident's choice is kept in Django's
language cookie, set by the switcher's links (plain links to `language_switch`, so it works
without JavaScript): a resident who chose Welsh and later opens an English address of a public
page is taken to its Welsh version.
"""

from collections.abc import Callable

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

Middleware = Callable[[HttpRequest], HttpResponse]

# Pages under these have one address in every language (a /cy/ one is sent to it): the
# chosen language is the cookie's.
UNPREFIXED_PREFIXES = ("staff/", "admin/")

# Sent by the switcher with `request` and `language`: the staff apps keep a signed-in member's
# choice (officers.receivers).
language_chosen = Signal()


def _prefix_of(path: str) -> str | None:
    language = translation.get_language_from_path(path)
    if language and language != settings.LANGUAGE_CODE:
        return language
    return None


def language_reset(get_response: Middleware) -> Middleware:
    """The language a request activated ends with it: the thread's next work (another test,
    a task run in the same thread) starts in the default language."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            return get_response(request)
        finally:
            translation.deactivate()

    return middleware


def remembered_language(get_response: Middleware) -> Middleware:
    """Take a resident who chose another language to that version of a public page, and show
    the staff area, at its one address, in the language chosen."""

    def middleware(request: HttpRequest) -> HttpResponse:
        asked = request.method in ("GET", "HEAD") and not getattr(request, "htmx", False)
        prefix = _prefix_of(request.path_info)
        if prefix:
            rest = request.path_info[len(prefix) + 2 :]
            if asked and rest.startswith(UNPREFIXED_PREFIXES):
                return HttpResponseRedirect("/" + rest + _query(request))
            return get_response(request)
        chosen = _chosen(request)
        if request.path_info[1:].startswith(UNPREFIXED_PREFIXES):
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
            return get_response(request)
        if asked and chosen:
            with translation.override(settings.LANGUAGE_CODE):
                target = translate_url(request.get_full_path(), chosen)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Cookie",))
                return response
        return get_response(request)

    return middleware


def _chosen(request: HttpRequest) -> str | None:
    """The language the visitor chose with the switcher, when it is not the default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and chosen != settings.LANGUAGE_CODE and chosen in dict(settings.LANGUAGES):
        return chosen
    return None


def _query(request: HttpRequest) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"?{query}" if query else ""


@require_safe
def language_switch(request: HttpRequest, language: str) -> HttpResponse:
    """The switcher's link: remember `language` and show the page `next` in it."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = "/"
    with translation.override(_prefix_of(next_url) or settings.LANGUAGE_CODE):
        target = translate_url(next_url, language)
    language_chosen.send(sender=language_switch, request=request, language=language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def language_tag(code: str) -> str:
    """The BCP 47 tag of a language code, for `lang` and `hreflang`: en-gb is "en-GB"."""
    return "en-GB" if code == "en-gb" else code


def languages(request: HttpRequest) -> dict:
    """The switcher and the alternate-language links of the page being shown."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    context: dict = {"html_lang": language_tag(current)}
    if len(settings.LANGUAGES) < 2:
        return context
    path = request.get_full_path()
    # The staff area has one address in every language: a switcher, and no alternates to list.
    one_address = request.path_info[1:].startswith(UNPREFIXED_PREFIXES)
    versions = []
    for code, name in settings.LANGUAGES:
        url = path if one_address else translate_url(path, code)
        versions.append(
            {
                "code": code,
                "tag": language_tag(code),
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    # A page with no version in another language (the APIs) has no switcher.
    if not one_address and len({version["url"] for version in versions}) < len(versions):
        return context
    context["language_versions"] = versions
    if not one_address:
        context["language_alternates"] = True
        context["language_default_url"] = versions[0]["absolute_url"]
    return context


def language_or_default(code: str | None) -> str:
    """`code` when it is one of LANGUAGES' codes, else the default: the language a resident's
    record keeps for the emails to them (the active one when none is given)."""
    code = code or translation.get_language()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
