"""Links that open a calendar app to subscribe to a feed in one step."""

from django import template
from django.urls import reverse

from meetings.ical import subscribe_url

register = template.Library()


@register.simple_tag
def webcal_url(view_name: str, **kwargs: str) -> str:
    """{% webcal_url 'meetings:force_feed' %} -> 'webcal://portal.example/events/calendar.ics'."""
    return subscribe_url(reverse(view_name, kwargs=kwargs or None))
