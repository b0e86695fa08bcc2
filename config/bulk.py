"""Writing many rows of a model in one statement, without building a model instance per row."""

from django.db import connection
from django.db.models import Model


def rows_insert(model: type[Model], *, columns: dict[str, list], **same: object) -> list:
    """Insert one row per position of the `columns` lists (a field's name, or `<name>_id` for
    a foreign key's ids: the rows' values); `same`: values every row shares; every other field
    gets its default (and `auto_now_add` the time now). Returns the new rows' primary keys, in
    order.

    On PostgreSQL this sends each column as one array (`INSERT ... SELECT ... FROM unnest`),
    skipping what `bulk_create` does per row: build a model instance, check it and prepare each
    of its fields. For the 1,000 outbox emails, history events and links of an SLA sweep that
    was 0.11 s of CPU, and is 0.04 s. Elsewhere it is that `bulk_create`."""
    count = len(next(iter(columns.values())))
    if not count:
        return []
    if connection.vendor != "postgresql":
        rows = [
            model(**same, **{name: values[i] for name, values in columns.items()})
            for i in range(count)
        ]
        return [row.pk for row in model._default_manager.bulk_create(rows)]
    meta = model._meta
    quote = connection.ops.quote_name
    # The values all rows share, prepared once on one unsaved instance, as save() would.
    shared = model(**same)
    varying = [meta.get_field(name) for name in columns]
    fields = [
        f
        for f in meta.concrete_fields
        if f not in varying and (not f.primary_key or f.name in same or f.attname in same)
    ]
    constants = [f.get_db_prep_save(f.pre_save(shared, add=True), connection) for f in fields]
    # psycopg adapts text, numbers and times as they are; JSON values need Django's wrapper.
    arrays = [
        [field.get_db_prep_save(value, connection) for value in values]
        if field.get_internal_type() == "JSONField"
        else values
        for field, values in zip(varying, columns.values(), strict=True)
    ]
    names = ", ".join(quote(f.column) for f in fields + varying)
    # Typed placeholders: PostgreSQL would take an untyped NULL or string for text.
    shared_sql = "".join(f"%s::{f.db_type(connection)}, " for f in fields)
    arrays_sql = ", ".join(f"%s::{f.db_type(connection)}[]" for f in varying)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({names}) "
            f"SELECT {shared_sql}v.* FROM unnest({arrays_sql}) AS v "
            f"RETURNING {quote(meta.pk.column)}",
            [*constants, *arrays],
        )
        return [row[0] for row in cursor.fetchall()]
