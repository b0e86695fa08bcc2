from importlib import import_module

from celery import shared_task
from django.conf import settings

from officers.photos import pending_photos_clear_expired


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired staff sessions, so the session table does not grow without end."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@shared_task
def clear_expired_pending_photos() -> None:
    """Delete photos uploaded for a preview that was never published."""
    pending_photos_clear_expired()
