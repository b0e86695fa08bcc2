"""The outbox moves here from the queries app, table and rows as they are (state only)."""

from django.db import migrations, models

from config.migration_operations import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEmail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("to", models.JSONField()),
                        ("subject", models.CharField(max_length=300)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("headers", models.JSONField(blank=True, default=dict)),
                        ("redact_after_send", models.BooleanField(default=False)),
                        ("forget_after", models.DateTimeField(blank=True, null=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to be sent"),
                                    ("sending", "Being sent"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "queries_outboxemail",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status__in", ["pending", "sending"])),
                                fields=["next_attempt_at"],
                                name="outbox_unsent",
                            ),
                            models.Index(
                                condition=models.Q(("status", "failed")),
                                fields=["created_at"],
                                name="outbox_failed",
                            ),
                            models.Index(
                                condition=models.Q(("forget_after__isnull", False)),
                                fields=["forget_after"],
                                name="outbox_to_forget",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        MoveContentTypes(["outboxemail"], source="queries", target="notifications"),
    ]
