"""Cache invalidation: any change to a force, division or neighbourhood moves the public pages
on (config.caching), and a changed boundary moves the locator on and sends its postcodes to be
located again (a Celery task). The apps above connect their own models the same way.

Signals also catch changes made in the Django admin and by imports, which call no view. Each
version moves on at once and again when the transaction commits: a page built in between from
the old rows is then never served, and a test that never commits still sees the change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from config import caching
from config.publishing import task_publish
from neighbourhoods.tasks import relocate_postcodes


def _boundaries_changed() -> None:
    caching.bump_boundaries_version()
    transaction.on_commit(caching.bump_boundaries_version, robust=True)


def _neighbourhood_saved(sender, instance, **kwargs) -> None:
    caching.public_content_changed()
    if instance.boundary_changed():
        _boundaries_changed()
        instance.boundary_stored()
        # After the commit (and the version bump above), place its postcodes again.
        pk = instance.pk
        transaction.on_commit(lambda: task_publish(relocate_postcodes, [pk]), robust=True)


def _neighbourhood_deleted(sender, **kwargs) -> None:
    caching.public_content_changed()
    _boundaries_changed()


def connect() -> None:
    from django.apps import apps

    neighbourhood = apps.get_model("neighbourhoods.Neighbourhood")
    post_save.connect(_neighbourhood_saved, sender=neighbourhood, dispatch_uid="nbh-save")
    post_delete.connect(_neighbourhood_deleted, sender=neighbourhood, dispatch_uid="nbh-delete")
    caching.public_pages_show(
        apps.get_model("neighbourhoods.Force"), apps.get_model("neighbourhoods.Division")
    )
