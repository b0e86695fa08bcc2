"""System checks for the queries app: the urgency rules file loads."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from queries.urgency import rule_book


@register()
def urgency_rules_check(app_configs, **kwargs) -> list[Error]:
    """Report at `manage.py check` (and start-up) a rules file that does not load."""
    try:
        rule_book()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Fix the file QUERY_URGENCY_RULES names (see queries/urgency.py).",
                id="queries.E001",
            )
        ]
    return []
