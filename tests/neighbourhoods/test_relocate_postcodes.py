import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from celery.signals import task_prerun
from django.db import OperationalError, connection, connections, transaction

from config import caching
from neighbourhoods.models import Neighbourhood, Postcode
from neighbourhoods.postcodes import postcodes_relocate
from neighbourhoods.tasks import relocate_postcodes
from tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

# Two neighbourhoods side by side: north of 53.1 and south of it.
IN_NORTH = (53.15, -1.45)
IN_SOUTH = (53.05, -1.45)
BETWEEN = (53.07, -1.45)  # the south's until it shrinks
FAR_AWAY = (51.5, -0.12)


def box(south: float, west: float, north: float, east: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def north():
    return NeighbourhoodFactory(boundary=box(53.1, -1.5, 53.2, -1.4))


@pytest.fixture
def south():
    return NeighbourhoodFactory(boundary=box(53.0, -1.5, 53.1, -1.4))


def change_boundary(neighbourhood: Neighbourhood, boundary: dict) -> None:
    """As an import or the admin would, without the signals' background work."""
    Neighbourhood.objects.filter(pk=neighbourhood.pk).update(boundary=boundary)
    caching.bump_boundaries_version()


def postcode(code: str, place: tuple[float, float], neighbourhood=None) -> Postcode:
    return Postcode.objects.create(
        postcode=code, latitude=place[0], longitude=place[1], neighbourhood=neighbourhood
    )


def placed() -> dict[str, int | None]:
    return dict(Postcode.objects.values_list("postcode", "neighbourhood_id"))


def many_postcodes(count: int) -> list[Postcode]:
    """`count` different postcodes, spread over both neighbourhoods and none, all unplaced."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    codes = itertools.product(range(1, 100), range(1, 10), letters, letters)
    places = itertools.cycle([IN_NORTH, IN_SOUTH, BETWEEN, FAR_AWAY])
    return Postcode.objects.bulk_create(
        Postcode(postcode=f"DE{d} {s}{a}{b}", latitude=lat, longitude=lng)
        for (d, s, a, b), (lat, lng) in zip(itertools.islice(codes, count), places, strict=False)
    )


def test_a_postcode_a_boundary_now_takes_in_moves_to_that_neighbourhood(north, south):
    postcode("DE1 1AA", (53.25, -1.45))
    change_boundary(north, box(53.1, -1.5, 53.3, -1.4))

    moved = postcodes_relocate(neighbourhood_ids=[north.pk])

    assert moved == 1
    assert Postcode.objects.get(postcode="DE1 1AA").neighbourhood == north


def test_a_postcode_a_shrunk_boundary_leaves_out_is_in_no_neighbourhood(north, south):
    postcode("DE1 1AA", BETWEEN, south)
    postcode("DE1 1AB", IN_SOUTH, south)
    change_boundary(south, box(53.0, -1.5, 53.06, -1.4))

    moved = postcodes_relocate(neighbourhood_ids=[south.pk])

    assert moved == 1
    assert placed() == {"DE1 1AA": None, "DE1 1AB": south.pk}


def test_a_postcode_moves_to_the_neighbour_that_took_it_over(north, south):
    postcode("DE1 1AA", BETWEEN, south)
    change_boundary(south, box(53.0, -1.5, 53.06, -1.4))
    change_boundary(north, box(53.06, -1.5, 53.2, -1.4))

    postcodes_relocate(neighbourhood_ids=[north.pk, south.pk])

    assert Postcode.objects.get(postcode="DE1 1AA").neighbourhood == north


def test_postcodes_away_from_the_changed_neighbourhoods_are_left_alone(north, south):
    elsewhere = NeighbourhoodFactory(boundary=box(51.4, -0.2, 51.6, 0.0))
    postcode("SW1A 2AA", FAR_AWAY, north)  # wrong, but neither in nor near the south
    postcode("DE1 1AA", BETWEEN, north)  # near the south: its bounding box

    moved = postcodes_relocate(neighbourhood_ids=[south.pk])

    assert moved == 1
    assert placed() == {"SW1A 2AA": north.pk, "DE1 1AA": south.pk}
    assert postcodes_relocate(neighbourhood_ids=[north.pk]) == 1
    assert Postcode.objects.get(postcode="SW1A 2AA").neighbourhood == elsewhere


def test_without_ids_every_postcode_is_placed_again(north, south):
    elsewhere = NeighbourhoodFactory(boundary=box(51.4, -0.2, 51.6, 0.0))
    postcode("SW1A 2AA", FAR_AWAY, north)
    postcode("DE1 1AA", IN_SOUTH)

    moved = postcodes_relocate()

    assert moved == 2
    assert placed() == {"SW1A 2AA": elsewhere.pk, "DE1 1AA": south.pk}


def test_a_second_run_moves_nothing_and_writes_nothing(north, south, django_assert_num_queries):
    postcode("DE1 1AA", IN_SOUTH)
    postcodes_relocate(neighbourhood_ids=[south.pk])

    # The boundaries for the area and for a fresh locator, then one batch: a savepoint, the
    # read and its release; no write.
    with django_assert_num_queries(5):
        moved = postcodes_relocate(neighbourhood_ids=[south.pk])

    assert moved == 0


def test_ids_of_neighbourhoods_that_are_gone_are_passed_over(north):
    postcode("DE1 1AA", IN_NORTH, north)

    assert postcodes_relocate(neighbourhood_ids=[north.pk + 1000]) == 0
    assert postcodes_relocate(neighbourhood_ids=[]) == 0
    assert Postcode.objects.get().neighbourhood == north


def test_a_moved_postcode_moves_the_public_content_version_on(north):
    postcode("DE1 1AA", IN_NORTH)
    before = caching.public_content_version()

    postcodes_relocate(neighbourhood_ids=[north.pk])

    assert caching.public_content_version() > before


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        postcodes_relocate(batch_size=0)


def test_twelve_thousand_postcodes_are_placed_with_a_few_queries_per_batch(
    north, south, django_assert_max_num_queries
):
    many_postcodes(12_000)

    # The boundaries, the locator's load, then the 9,000 in or near the two in 2 batches of
    # 5,000: a savepoint, the read, one upsert and the release each.
    with django_assert_max_num_queries(10):
        moved = postcodes_relocate(neighbourhood_ids=[north.pk, south.pk])

    assert moved == 9_000
    assert Postcode.objects.filter(neighbourhood=north).count() == 3_000
    assert Postcode.objects.filter(neighbourhood=south).count() == 6_000
    assert Postcode.objects.filter(neighbourhood__isnull=True).count() == 3_000


def test_every_postcode_is_placed_with_a_few_queries_per_batch(
    north, south, django_assert_max_num_queries
):
    many_postcodes(12_000)

    # The locator's load, then 3 batches of 5,000: 4 queries each.
    with django_assert_max_num_queries(13):
        moved = postcodes_relocate(batch_size=5000)

    assert moved == 9_000


# --- The task -----------------------------------------------------------------------------------


def test_the_task_places_the_postcodes_of_the_neighbourhoods_it_is_given(north, south):
    postcode("DE1 1AA", BETWEEN, south)
    change_boundary(south, box(53.0, -1.5, 53.06, -1.4))
    change_boundary(north, box(53.06, -1.5, 53.2, -1.4))

    result = relocate_postcodes.apply(args=[[north.pk, south.pk]])

    assert result.successful()
    assert result.get() == 1
    assert Postcode.objects.get(postcode="DE1 1AA").neighbourhood == north


@contextmanager
def postcodes_locked_elsewhere(codes: list[str]) -> Iterator[Callable[[], None]]:
    """Another connection holds these postcodes' rows locked (an import writing them) until
    the returned function is called (it returns once the lock is gone); this connection gives
    up waiting for a lock after 100 ms."""
    locked, release, let_go = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                list(Postcode.objects.select_for_update().filter(postcode__in=codes))
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()
            let_go.set()

    def unlock() -> None:
        release.set()
        assert let_go.wait(timeout=10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(timeout=10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '100ms'")
    try:
        yield unlock
    finally:
        unlock()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@contextmanager
def counted_runs(on_run=None) -> Iterator[list[str]]:
    """The task's runs as Celery starts them, the first try and each retry."""
    runs: list[str] = []

    def started(sender, task_id, **kwargs) -> None:
        runs.append(task_id)
        if on_run is not None:
            on_run(len(runs))

    task_prerun.connect(started, sender=relocate_postcodes, weak=False)
    try:
        yield runs
    finally:
        task_prerun.disconnect(started, sender=relocate_postcodes)


@pytest.mark.django_db(transaction=True)
def test_the_task_tries_again_when_the_database_fails(north, south):
    """Its first two runs find the rows locked by another connection and time out waiting
    (a real OperationalError from PostgreSQL); the lock is let go before the third."""
    postcode("DE1 1AA", BETWEEN, south)
    change_boundary(south, box(53.0, -1.5, 53.06, -1.4))
    change_boundary(north, box(53.06, -1.5, 53.2, -1.4))

    with postcodes_locked_elsewhere(["DE1 1AA"]) as unlock:

        def let_go_before_the_third(run: int) -> None:
            if run == 3:
                unlock()

        with counted_runs(let_go_before_the_third) as runs:
            result = relocate_postcodes.apply(args=[[north.pk, south.pk]])

    assert result.get() == 1
    assert len(runs) == 3
    assert Postcode.objects.get(postcode="DE1 1AA").neighbourhood == north


@pytest.mark.django_db(transaction=True)
def test_the_task_gives_up_after_five_retries(north, south):
    postcode("DE1 1AA", BETWEEN, south)
    change_boundary(south, box(53.0, -1.5, 53.06, -1.4))

    with postcodes_locked_elsewhere(["DE1 1AA"]), counted_runs() as runs:
        result = relocate_postcodes.apply(args=[[south.pk]])

    assert result.failed()
    assert isinstance(result.result, OperationalError)
    assert "lock timeout" in str(result.result)
    assert len(runs) == 6
    assert Postcode.objects.get(postcode="DE1 1AA").neighbourhood == south


def test_the_task_is_acknowledged_only_once_it_has_run():
    assert relocate_postcodes.acks_late is True
