"""The beat schedule runs only tasks the worker knows by those names."""

from config import celery_app


def test_every_beat_entry_names_a_registered_task(settings):
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled - set(celery_app.tasks) == set()
