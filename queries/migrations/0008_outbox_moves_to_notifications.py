"""The outbox now belongs to the notifications app: the queries app lets go of it (state only;
the table and its rows stay as they are)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("queries", "0007_query_emails"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="queryemail",
                    name="email",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="query_link",
                        serialize=False,
                        to="notifications.outboxemail",
                    ),
                ),
                migrations.DeleteModel(name="OutboxEmail"),
            ],
            database_operations=[],
        ),
    ]
