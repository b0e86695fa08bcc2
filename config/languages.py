"""The portal in English and Welsh: which pages have a Welsh version, the language switcher,
and the resident's remembered choice.

English pages keep their unprefixed addresses; the Welsh version of a public page is the same
address under /cy/ (`i18n_patterns` in config.urls). The staff area, the admin and the APIs are
English only. A resident's choice is kept in Django's language cookie, set by the switcher's
links (plain links to `language_switch`, so it works without JavaScript): a resident who chose
Welsh and later opens an English address of a public page is taken to its Welsh version.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

Middleware = Callable[[HttpRequest], HttpResponse]

# Pages under these are English only, even when asked for under a language prefix.
ENGLISH_ONLY_PREFIXES = ("staff/",)


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
    """Take a resident who chose another language to that version of a public page, and keep
    the English-only staff area at its unprefixed address."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or getattr(request, "htmx", False):
            return get_response(request)
        prefix = _prefix_of(request.path_info)
        if prefix:
            rest = request.path_info[len(prefix) + 2 :]
            if rest.startswith(ENGLISH_ONLY_PREFIXES):
                return HttpResponseRedirect("/" + rest + _query(request))
            return get_response(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path_info[1:].startswith(ENGLISH_ONLY_PREFIXES):
            return get_response(request)
        if chosen and chosen != settings.LANGUAGE_CODE and chosen in dict(settings.LANGUAGES):
            with translation.override(settings.LANGUAGE_CODE):
                target = translate_url(request.get_full_path(), chosen)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Cookie",))
                return response
        return get_response(request)

    return middleware


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
    if len(settings.LANGUAGES) < 2 or request.path_info[1:].startswith(ENGLISH_ONLY_PREFIXES):
        return context
    path = request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
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
    # A page with no version in another language (staff, admin) has no switcher.
    if len({version["url"] for version in versions}) < len(versions):
        return context
    context["language_versions"] = versions
    context["language_default_url"] = versions[0]["absolute_url"]
    return context
