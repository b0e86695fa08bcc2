"""Emails about a query are linked from the queries app (QueryEmail) rather than by a column of
the outbox, so the outbox can move to the notifications app, below every app that sends email.
Each (email, query) pair is copied from the column into the link table.

The column leaves the model but stays in the table for one release: processes of the previous
release still running while a deploy migrates go on writing it without failing. A later release
copies any pairs written meanwhile and drops it. Reversed, the pairs go back into the column."""

import django.db.models.deletion
from django.db import migrations, models

COPY_TO_LINKS = """
    INSERT INTO queries_queryemail (email_id, query_id)
    SELECT id, query_id FROM queries_outboxemail WHERE query_id IS NOT NULL
"""
COPY_BACK = """
    UPDATE queries_outboxemail SET query_id = (
        SELECT query_id FROM queries_queryemail WHERE email_id = queries_outboxemail.id
    )
    WHERE id IN (SELECT email_id FROM queries_queryemail)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("queries", "0006_resident_escalated_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueryEmail",
            fields=[
                (
                    "email",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="query_link",
                        serialize=False,
                        to="queries.outboxemail",
                    ),
                ),
                (
                    "query",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="email_links",
                        to="queries.query",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(COPY_TO_LINKS, COPY_BACK),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="outboxemail", name="query")],
            database_operations=[],
        ),
    ]
