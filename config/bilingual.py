"""Text that officers and administrators write, in English and, where the force has Welsh
switched on, in Welsh too.

Each such field has a plain twin with `_cy` on its name (`title` and `title_cy`), blank until
someone writes the Welsh. Plain fields rather than a translation library: the English column
keeps its name and meaning everywhere (the API, CSV exports, the admin's search), nothing
rewrites a model's attributes behind the code's back, and a page can tell that it is showing
the English because the Welsh is missing, which it must mark `lang="en"` for screen readers.

    in_language(event, "title")            # the text for the active language
    {{ event|bilingual:"title" }}          # in a page: the English inside <span lang="en">
                                           # when a Welsh page falls back to it
    {{ event|bilingual_text:"title" }}     # in an attribute or <title>: the text alone
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

WELSH = "cy"
SUFFIX = "_cy"


def welsh_on() -> bool:
    """The force offers its pages in Welsh (PORTAL_LANGUAGES): its staff forms ask for the
    Welsh of what they write."""
    return WELSH in dict(settings.LANGUAGES)


def welsh_field(field: str) -> str:
    return f"{field}{SUFFIX}"


def _welsh_wanted(language: str | None) -> bool:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0] == WELSH


def in_language(obj: Model | object, field: str, language: str | None = None) -> str:
    """The text of `field` in `language` (the active one when not given): its Welsh twin where
    Welsh is wanted and written, the English otherwise."""
    english = getattr(obj, field) or ""
    if _welsh_wanted(language):
        return getattr(obj, welsh_field(field), "") or english
    return english


def falls_back(obj: Model | object, field: str, language: str | None = None) -> bool:
    """Welsh is wanted but only the English of `field` is written."""
    return (
        _welsh_wanted(language)
        and bool(getattr(obj, field, ""))
        and not getattr(obj, welsh_field(field), "")
    )


def marked(obj: Model | object, field: str) -> str | SafeString:
    """The text for the active language, as HTML: the English inside `<span lang="en">` when a
    Welsh page shows it for want of the Welsh, so a screen reader pronounces it as English."""
    text = in_language(obj, field)
    if falls_back(obj, field):
        return format_html('<span lang="en">{}</span>', text)
    return text


# --- Names the settings give in English and Welsh (FORCE_NAME and FORCE_NAME_CY) --------------


@dataclass(frozen=True)
class Named:
    """A name kept in English and Welsh outside a model (a setting, a report's snapshot), for
    in_language and marked: `marked(Named(name=..., name_cy=...), "name")`."""

    name: str
    name_cy: str = ""


def _setting_name(setting: str) -> Named:
    return Named(name=getattr(settings, setting), name_cy=getattr(settings, f"{setting}_CY", ""))


def setting_in_language(setting: str, language: str | None = None) -> str:
    """A name the settings give in English (`FORCE_NAME`) and Welsh (`FORCE_NAME_CY`), in
    `language` (the active one when not given): the Welsh where wanted and set, the English
    otherwise. The APIs keep the English: they read the setting itself."""
    return in_language(_setting_name(setting), "name", language)


def setting_marked(setting: str) -> str | SafeString:
    """setting_in_language as HTML: the English inside `<span lang="en">` when a Welsh page or
    email shows it for want of the Welsh."""
    return marked(_setting_name(setting), "name")


def force_name_context() -> dict[str, str | SafeString]:
    """The force's name for a page or an email, in the active language: `force_name`, the text
    (a <title>, an attribute, a plain-text email), and `force_name_html`, for HTML."""
    return {
        "force_name": setting_in_language("FORCE_NAME"),
        "force_name_html": setting_marked("FORCE_NAME"),
    }
