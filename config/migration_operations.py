"""Operations for migrations that move models from one app to another.

A moved model keeps its table (Meta.db_table) and its rows: the migrations only move it in
Django's state. What refers to it by app label moves with it here: its content type, and so the
permissions granted on it and the admin's history of its rows.

Migrations import this module: change it only in ways the migrations written with it still
work with."""

from django.db import migrations


def _merge_permissions(apps, db: str, source, target) -> None:
    """Move `target`'s permissions onto `source`: one made twice (same codename) keeps the
    source's row, with every group and user that held either."""
    permission = apps.get_model("auth", "Permission")
    groups = permission.group_set.through
    users = permission.user_set.through
    kept = {p.codename: p for p in permission.objects.using(db).filter(content_type=source)}
    for duplicate in permission.objects.using(db).filter(content_type=target):
        original = kept.get(duplicate.codename)
        if original is None:
            duplicate.content_type = source
            duplicate.save(using=db, update_fields=["content_type"])
            continue
        for through in (groups, users):
            holder = "group_id" if through is groups else "user_id"
            held = set(
                through.objects.using(db).filter(permission=original).values_list(holder, flat=True)
            )
            through.objects.using(db).filter(permission=duplicate).exclude(
                **{f"{holder}__in": held}
            ).update(permission=original)
        duplicate.delete()


def _relabel(apps, schema_editor, models: list[str], source: str, target: str) -> None:
    """Give each model's content type the label `target`. If a content type was made under
    `target` already (a process of the new release asked for one before the migrations ran),
    what points at it moves onto the established row, which it then replaces."""
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(db)
    log_entries = apps.get_model("admin", "LogEntry").objects.using(db)
    for model in models:
        old = content_types.filter(app_label=source, model=model).first()
        if old is None:
            # A database migrated before any content type was made has none to move: they
            # are made, under the new label, after the migrations have run.
            continue
        new = content_types.filter(app_label=target, model=model).first()
        if new is not None:
            _merge_permissions(apps, db, old, new)
            log_entries.filter(content_type=new).update(content_type=old)
            new.delete()
        old.app_label = target
        old.save(using=db, update_fields=["app_label"])
    CurrentContentType.objects.clear_cache()


class MoveContentTypes(migrations.RunPython):
    """Move the content types of `models` (lower-case model names) from app `source` to app
    `target`; reversed, back again."""

    def __init__(self, models: list[str], *, source: str, target: str) -> None:
        self.models, self.source, self.target = list(models), source, target
        super().__init__(self._forwards, self._backwards, elidable=False)

    def _forwards(self, apps, schema_editor) -> None:
        _relabel(apps, schema_editor, self.models, self.source, self.target)

    def _backwards(self, apps, schema_editor) -> None:
        _relabel(apps, schema_editor, self.models, self.target, self.source)

    def deconstruct(self):
        return (
            f"{__name__}.{type(self).__name__}",
            [self.models],
            {"source": self.source, "target": self.target},
        )

    def describe(self) -> str:
        return f"Move the content types of {', '.join(self.models)} to {self.target}"
