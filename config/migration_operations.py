"""Operations for migrations that move models from one app to another.

A moved model keeps its table (Meta.db_table) and its rows: the migrations only move it in
Django's state. What refers to it by app label moves with it here: its content type, and so the
permissions granted on it and the admin's history of its rows."""

from django.db import migrations


def _relabel(apps, schema_editor, *, models: list[str], source: str, target: str) -> None:
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model in models:
        # A database migrated before any content type was made has none to move: they are
        # made, under the new label, after the migrations have run.
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)
    CurrentContentType.objects.clear_cache()


def move_content_types(models: list[str], *, source: str, target: str) -> migrations.RunPython:
    """Move the content types of `models` (lower-case model names) from app `source` to app
    `target`; reversed, back again."""
    return migrations.RunPython(
        lambda apps, editor: _relabel(apps, editor, models=models, source=source, target=target),
        lambda apps, editor: _relabel(apps, editor, models=models, source=target, target=source),
        elidable=False,
    )
