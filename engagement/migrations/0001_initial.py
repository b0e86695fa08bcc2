"""Local priorities and Have your say move here from the neighbourhoods app, tables and rows
as they are (state only), with their content types, so permissions and the admin's history
follow them."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from config.migration_operations import MoveContentTypes


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("neighbourhoods", "0006_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The neighbourhoods app lets go of these models once this app holds them.
    run_before = [("neighbourhoods", "0007_engagement_and_alerts_move_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalPriority",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("issue", models.TextField()),
                        ("action", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("in_progress", "In progress"),
                                    ("resolved", "Resolved"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("issue_date", models.DateField()),
                        ("action_date", models.DateField(blank=True, null=True)),
                        ("review_date", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "neighbourhood",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="neighbourhoods.neighbourhood",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical priority",
                        "verbose_name_plural": "historical priorities",
                        "db_table": "neighbourhoods_historicalpriority",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalSurvey",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "question",
                            models.CharField(
                                default="What should we focus on next?", max_length=200
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        ("allow_free_text", models.BooleanField(default=False)),
                        ("opens_on", models.DateField()),
                        ("closes_on", models.DateField()),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "neighbourhood",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="neighbourhoods.neighbourhood",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical survey",
                        "verbose_name_plural": "historical surveys",
                        "db_table": "neighbourhoods_historicalsurvey",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Priority",
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
                        ("issue", models.TextField()),
                        ("action", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("in_progress", "In progress"),
                                    ("resolved", "Resolved"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("issue_date", models.DateField()),
                        ("action_date", models.DateField(blank=True, null=True)),
                        ("review_date", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "neighbourhood",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="priorities",
                                to="neighbourhoods.neighbourhood",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "priorities",
                        "db_table": "neighbourhoods_priority",
                        "ordering": ["-issue_date", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PrioritySupport",
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
                        ("email_hash", models.CharField(max_length=64)),
                        ("confirm_token_hash", models.CharField(max_length=64, unique=True)),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "priority",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supports",
                                to="engagement.priority",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_prioritysupport",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Survey",
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
                            "question",
                            models.CharField(
                                default="What should we focus on next?", max_length=200
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        ("allow_free_text", models.BooleanField(default=False)),
                        ("opens_on", models.DateField()),
                        ("closes_on", models.DateField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "neighbourhood",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="surveys",
                                to="neighbourhoods.neighbourhood",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_survey",
                        "ordering": ["-opens_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyOption",
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
                        ("label", models.CharField(max_length=200)),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="options",
                                to="engagement.survey",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_surveyoption",
                        "ordering": ["position", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyResponse",
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
                        ("free_text", models.TextField(blank=True)),
                        (
                            "moderation",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for moderation"),
                                    ("approved", "Approved"),
                                    ("rejected", "Rejected"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("moderated_at", models.DateTimeField(blank=True, null=True)),
                        ("email_hash", models.CharField(max_length=64)),
                        ("confirm_token_hash", models.CharField(max_length=64, unique=True)),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "moderated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "option",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="responses",
                                to="engagement.surveyoption",
                            ),
                        ),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="responses",
                                to="engagement.survey",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "neighbourhoods_surveyresponse",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.AddIndex(
                    model_name="priority",
                    index=models.Index(
                        condition=models.Q(("status", "resolved"), _negated=True),
                        fields=["updated_at"],
                        name="priority_current_by_update",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="prioritysupport",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("confirmed_at__isnull", False)),
                        fields=("priority", "email_hash"),
                        name="priority_support_once_per_email",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="survey",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("closes_on__gte", models.F("opens_on"))),
                        name="survey_closes_after_opening",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="surveyoption",
                    constraint=models.UniqueConstraint(
                        fields=("survey", "label"), name="survey_option_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="surveyresponse",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("confirmed_at__isnull", False)),
                        fields=("survey", "email_hash"),
                        name="survey_response_once_per_email",
                    ),
                ),
            ],
            database_operations=[],
        ),
        MoveContentTypes(
            [
                "priority",
                "historicalpriority",
                "prioritysupport",
                "survey",
                "historicalsurvey",
                "surveyoption",
                "surveyresponse",
            ],
            source="neighbourhoods",
            target="engagement",
        ),
    ]
