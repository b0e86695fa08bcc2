"""Emails written to be rendered when sent: the template, context and language to render them
with (notifications.sending renders them as it claims them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        # The table is the queries app's (created there, moved here by state only): it exists
        # once the queries app has handed it over.
        ("queries", "0008_outbox_moves_to_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxemail",
            name="context",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="language",
            field=models.CharField(blank=True, max_length=35),
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="template",
            field=models.CharField(blank=True, max_length=200),
        ),
    ]
