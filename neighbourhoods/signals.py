"""Cache invalidation only: any change to what the public pages show moves the versions on.

Signals also catch changes made in the Django admin and by imports, which call no view."""

from django.db.models.signals import post_delete, post_save

from neighbourhoods import caching


def _public_content_changed(sender, **kwargs) -> None:
    caching.bump_public_content_version()


def _neighbourhood_changed(sender, **kwargs) -> None:
    caching.bump_boundaries_version()
    caching.bump_public_content_version()


def connect() -> None:
    from django.apps import apps

    for label in ["neighbourhoods.Neighbourhood"]:
        model = apps.get_model(label)
        post_save.connect(_neighbourhood_changed, sender=model, dispatch_uid=f"{label}-save")
        post_delete.connect(_neighbourhood_changed, sender=model, dispatch_uid=f"{label}-delete")
    for label in [
        "neighbourhoods.Force",
        "neighbourhoods.Division",
        "neighbourhoods.Priority",
        "officers.Officer",
        "officers.Assignment",
        "meetings.Event",
    ]:
        model = apps.get_model(label)
        post_save.connect(_public_content_changed, sender=model, dispatch_uid=f"{label}-save")
        post_delete.connect(_public_content_changed, sender=model, dispatch_uid=f"{label}-delete")
