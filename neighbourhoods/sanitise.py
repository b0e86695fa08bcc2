"""What may come from outside (imports, the admin) and be shown on public pages."""

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

DESCRIPTION_TAGS = {"p", "br", "a", "ul", "ol", "li", "strong", "em"}
_http_url = URLValidator(schemes=["http", "https"])


def sanitised_html(value: str) -> str:
    """HTML limited to paragraphs, lists, emphasis and links that pass no search ranking."""
    return nh3.clean(
        value or "",
        tags=DESCRIPTION_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener",
    ).strip()


def http_url(value: object) -> str:
    """The value if it is an http(s) URL, else an empty string: never a javascript: link."""
    if not isinstance(value, str):
        return ""
    try:
        _http_url(value)
    except ValidationError:
        return ""
    return value
