"""On PostgreSQL, refuse two named officers for one neighbourhood on the same day, whatever
their start and end dates. SQLite (the embedded default) keeps the simpler constraint of 0001
and the check in officers.services."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE officers_assignment ADD CONSTRAINT assignment_named_officer_no_overlap
    EXCLUDE USING gist (
        neighbourhood_id WITH =,
        daterange(start_date, end_date, '[]') WITH &&
    ) WHERE (role = 'named');
"""
DROP = (
    "ALTER TABLE officers_assignment DROP CONSTRAINT IF EXISTS assignment_named_officer_no_overlap;"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("officers", "0003_profile_photo_languages_and_history")]

    operations = [migrations.RunPython(create, drop)]
