"""A row held by another connection, as by an officer mid-change or a worker mid-claim, for
tests of code that must pass over a locked row instead of waiting for it."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections, transaction
from django.db.models import Model


@contextmanager
def row_held_elsewhere(model: type[Model], pk: int, *, lock_timeout: str = "3s") -> Iterator[None]:
    """Inside the block another connection holds the row `SELECT ... FOR UPDATE`; this
    connection waits at most `lock_timeout` for any lock, so code that waits for the row fails
    the test instead of hanging it."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                model.objects.select_for_update().get(pk=pk)
                locked.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=30), "the other connection did not lock the row"
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = %s", [lock_timeout])
        yield
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
