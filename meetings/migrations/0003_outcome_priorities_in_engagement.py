"""Outcomes link priorities of the engagement app now: the same table, state only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_initial"),
        ("meetings", "0002_events_series_registrations_outcomes"),
    ]

    run_before = [("neighbourhoods", "0007_engagement_and_alerts_move_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="outcome",
                    name="priorities",
                    field=models.ManyToManyField(
                        blank=True, related_name="outcomes", to="engagement.priority"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
