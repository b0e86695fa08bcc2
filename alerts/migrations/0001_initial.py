"""Alerts move here from the neighbourhoods app, tables and rows as they are (state only), with
their content types."""

import django.db.models.deletion
from django.db import migrations, models

from config.migration_operations import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("neighbourhoods", "0006_alerts"),
    ]

    # The neighbourhoods app lets go of these models once this app holds them.
    run_before = [("neighbourhoods", "0007_engagement_and_alerts_move_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AlertChange",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("event", "Events"),
                                    ("priority", "Priorities"),
                                    ("survey", "Surveys"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("key", models.CharField(max_length=100, unique=True)),
                        ("title", models.CharField(max_length=300)),
                        ("summary", models.TextField(blank=True)),
                        ("path", models.CharField(max_length=500)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "neighbourhood",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="alert_changes",
                                to="neighbourhoods.neighbourhood",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_alertchange",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Subscriber",
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
                        ("email", models.EmailField(max_length=254, unique=True)),
                        ("events", models.BooleanField(default=True)),
                        ("priorities", models.BooleanField(default=True)),
                        ("surveys", models.BooleanField(default=True)),
                        (
                            "frequency",
                            models.CharField(
                                choices=[
                                    ("immediate", "As it happens"),
                                    ("daily", "Once a day, in a digest"),
                                ],
                                default="immediate",
                                max_length=10,
                            ),
                        ),
                        ("pending_choices", models.JSONField(blank=True, null=True)),
                        (
                            "confirm_token_hash",
                            models.CharField(blank=True, max_length=64, null=True, unique=True),
                        ),
                        ("confirm_sent_at", models.DateTimeField(blank=True, null=True)),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                        ("unsubscribed_at", models.DateTimeField(blank=True, null=True)),
                        ("digest_covered_until", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "neighbourhoods",
                            models.ManyToManyField(
                                related_name="subscribers", to="neighbourhoods.neighbourhood"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_subscriber",
                        "ordering": ["pk"],
                    },
                ),
                migrations.CreateModel(
                    name="AlertDelivery",
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
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "change",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="alerts.alertchange",
                            ),
                        ),
                        (
                            "subscriber",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="alerts.subscriber",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_alertdelivery",
                    },
                ),
                migrations.AddIndex(
                    model_name="alertchange",
                    index=models.Index(fields=["created_at"], name="alert_change_by_time"),
                ),
                migrations.AddIndex(
                    model_name="alertchange",
                    index=models.Index(
                        condition=models.Q(("sent_at__isnull", True)),
                        fields=["created_at"],
                        name="alert_change_unsent",
                    ),
                ),
                migrations.AddIndex(
                    model_name="subscriber",
                    index=models.Index(
                        condition=models.Q(
                            ("confirmed_at__isnull", False), ("unsubscribed_at__isnull", True)
                        ),
                        fields=["frequency", "id"],
                        name="subscriber_active",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="alertdelivery",
                    constraint=models.UniqueConstraint(
                        fields=("subscriber", "change"), name="alert_delivered_once"
                    ),
                ),
            ],
            database_operations=[],
        ),
        MoveContentTypes(
            ["subscriber", "alertchange", "alertdelivery"],
            source="neighbourhoods",
            target="alerts",
        ),
    ]
