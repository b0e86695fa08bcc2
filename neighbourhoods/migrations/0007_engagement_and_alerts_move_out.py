"""Local priorities, Have your say and alerts now belong to the engagement and alerts apps: the
neighbourhoods app lets go of them (state only; the tables and their rows stay as they are)."""

from django.db import migrations


class Migration(migrations.Migration):
    # The engagement, alerts and meetings migrations that take these models over run before
    # this one (their run_before): this app names no app above it.
    dependencies = [
        ("neighbourhoods", "0006_alerts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="alertdelivery",
                    name="change",
                ),
                migrations.RemoveField(
                    model_name="alertdelivery",
                    name="subscriber",
                ),
                migrations.RemoveField(
                    model_name="historicalpriority",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalpriority",
                    name="neighbourhood",
                ),
                migrations.RemoveField(
                    model_name="historicalpriority",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="historicalsurvey",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="historicalsurvey",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalsurvey",
                    name="neighbourhood",
                ),
                migrations.RemoveField(
                    model_name="priority",
                    name="neighbourhood",
                ),
                migrations.RemoveField(
                    model_name="priority",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="prioritysupport",
                    name="priority",
                ),
                migrations.RemoveField(
                    model_name="subscriber",
                    name="neighbourhoods",
                ),
                migrations.RemoveField(
                    model_name="survey",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="survey",
                    name="neighbourhood",
                ),
                migrations.RemoveField(
                    model_name="surveyresponse",
                    name="survey",
                ),
                migrations.RemoveField(
                    model_name="surveyoption",
                    name="survey",
                ),
                migrations.RemoveField(
                    model_name="surveyresponse",
                    name="option",
                ),
                migrations.RemoveField(
                    model_name="surveyresponse",
                    name="moderated_by",
                ),
                migrations.DeleteModel(
                    name="AlertChange",
                ),
                migrations.DeleteModel(
                    name="AlertDelivery",
                ),
                migrations.DeleteModel(
                    name="HistoricalPriority",
                ),
                migrations.DeleteModel(
                    name="HistoricalSurvey",
                ),
                migrations.DeleteModel(
                    name="Priority",
                ),
                migrations.DeleteModel(
                    name="PrioritySupport",
                ),
                migrations.DeleteModel(
                    name="Subscriber",
                ),
                migrations.DeleteModel(
                    name="Survey",
                ),
                migrations.DeleteModel(
                    name="SurveyOption",
                ),
                migrations.DeleteModel(
                    name="SurveyResponse",
                ),
            ],
            database_operations=[],
        ),
    ]
