"""Cache invalidation: any change to what the public pages show moves the versions on, and a
changed boundary sends its postcodes to be located again (a Celery task).

Signals also catch changes made in the Django admin and by imports, which call no view. Each
version moves on at once and again when the transaction commits: a page built in between from
the old rows is then never served, and a test that never commits still sees the change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from neighbourhoods import caching
from neighbourhoods.tasks import relocate_postcodes


def _public_content_changed(sender, **kwargs) -> None:
    caching.bump_public_content_version()
    transaction.on_commit(caching.bump_public_content_version, robust=True)


def _boundaries_changed() -> None:
    caching.bump_boundaries_version()
    transaction.on_commit(caching.bump_boundaries_version, robust=True)


def _neighbourhood_saved(sender, instance, **kwargs) -> None:
    _public_content_changed(sender)
    if instance.boundary_changed():
        _boundaries_changed()
        instance.boundary_stored()
        # After the commit (and the version bump above), place its postcodes again.
        pk = instance.pk
        transaction.on_commit(lambda: relocate_postcodes.delay([pk]), robust=True)


def _neighbourhood_deleted(sender, **kwargs) -> None:
    _public_content_changed(sender)
    _boundaries_changed()


def connect() -> None:
    from django.apps import apps

    neighbourhood = apps.get_model("neighbourhoods.Neighbourhood")
    post_save.connect(_neighbourhood_saved, sender=neighbourhood, dispatch_uid="nbh-save")
    post_delete.connect(_neighbourhood_deleted, sender=neighbourhood, dispatch_uid="nbh-delete")
    for label in [
        "neighbourhoods.Force",
        "neighbourhoods.Division",
        "neighbourhoods.Priority",
        "officers.Officer",
        "officers.Assignment",
        "meetings.Event",
        "meetings.Series",
        "meetings.Outcome",
    ]:
        model = apps.get_model(label)
        post_save.connect(_public_content_changed, sender=model, dispatch_uid=f"{label}-save")
        post_delete.connect(_public_content_changed, sender=model, dispatch_uid=f"{label}-delete")
