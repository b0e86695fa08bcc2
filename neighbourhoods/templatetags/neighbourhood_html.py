from django import template
from django.utils.safestring import SafeString, mark_safe

from neighbourhoods import sanitise

register = template.Library()


@register.filter
def sanitised(value: str) -> SafeString:
    """Stored HTML cleaned again as it is shown, whoever wrote it (import, admin)."""
    return mark_safe(sanitise.sanitised_html(value))


@register.filter
def http_url(value: object) -> str:
    return sanitise.http_url(value)
