"""Every migration can be reversed: unapply the portal's apps to zero and apply them again."""

import pytest
from django.core.management import call_command
from django.db import connection

APPS = [
    "queries",
    "alerts",
    "meetings",
    "engagement",
    "officers",
    "neighbourhoods",
    "notifications",
]


@pytest.mark.django_db(transaction=True)
def test_migrations_reverse_to_zero_and_apply_again():
    for app in APPS:
        call_command("migrate", app, "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not {t for t in tables if t.startswith(("neighbourhoods_", "officers_", "meetings_"))}

    call_command("migrate", verbosity=0)

    assert "officers_assignment" in connection.introspection.table_names()
