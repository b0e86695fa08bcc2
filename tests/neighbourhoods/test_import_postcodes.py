import csv
import io
import itertools
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from neighbourhoods.models import Postcode
from tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

HEADER = ["pcd", "pcds", "dointr", "doterm", "oseast1m", "osnrth1m", "lat", "long", "imd"]
NORTH = (53.0, -1.5)
SOUTH = (52.9, -1.5)
OUTSIDE = (51.5, -0.12)


class TerminalStringIO(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def north():
    return NeighbourhoodFactory(centre_latitude=NORTH[0], centre_longitude=NORTH[1])


@pytest.fixture
def south():
    return NeighbourhoodFactory(centre_latitude=SOUTH[0], centre_longitude=SOUTH[1])


def write_csv(path: Path, rows: list[tuple[str, object, object]]) -> Path:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for postcode, latitude, longitude in rows:
            compact = postcode.replace(" ", "")
            writer.writerow(
                [compact, postcode, "198001", "", "435000", "350000", latitude, longitude, "1"]
            )
    return path


def sample_rows() -> list[tuple[str, object, object]]:
    """50 rows: 22 in the north neighbourhood, 21 in the south, 1 outside, 6 bad."""
    rows = []
    for n in range(22):
        postcode = f"DE56 {n % 9 + 1}{'ABDEFGHJLNPQRSTUWXYZ'[n % 20]}{'AB'[n // 20]}"
        rows.append((postcode, NORTH[0] + n / 10000, -1.5))
    for n in range(21):
        rows.append((f"DE23 {n % 9 + 1}{'ABDEFGHJLNPQRSTUWXYZ'[n % 20]}{'BD'[n // 20]}", *SOUTH))
    rows.append(("SW1A 2AA", *OUTSIDE))
    rows += [
        ("NOT A POSTCODE", *NORTH),  # line 46
        ("DE1 1ZZ", "99.999999", "0.000000"),  # line 47: no grid reference
        ("DE1 2ZZ", "", "-1.5"),  # line 48
        ("DE1 3ZZ", "north", "-1.5"),  # line 49
        ("DE1 4ZZ", "53.0", "200"),  # line 50
        ("", *NORTH),  # line 51
    ]
    return rows


def run_import(*args, stderr=None) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), stderr or io.StringIO()
    call_command("import_postcodes", *[str(arg) for arg in args], stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def generated_rows(count: int) -> list[tuple[str, float, float]]:
    """`count` different postcodes, a third each in the north, the south and outside."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    codes = itertools.product(range(1, 100), range(1, 10), letters, letters)
    places = zip(codes, itertools.cycle([NORTH, SOUTH, OUTSIDE]), strict=False)
    return [
        (f"DE{district} {sector}{a}{b}", *centre)
        for (district, sector, a, b), centre in itertools.islice(places, count)
    ]


def test_postcodes_are_assigned_to_the_neighbourhood_containing_them(tmp_path, north, south):
    run_import(write_csv(tmp_path / "onspd.csv", sample_rows()))

    assert Postcode.objects.filter(neighbourhood=north).count() == 22
    assert Postcode.objects.filter(neighbourhood=south).count() == 21
    first = Postcode.objects.get(postcode="DE56 1AA")
    assert (first.latitude, first.longitude, first.neighbourhood) == (53.0, -1.5, north)


def test_a_postcode_outside_every_boundary_is_kept_without_a_neighbourhood(tmp_path, north, south):
    stdout, _ = run_import(write_csv(tmp_path / "onspd.csv", sample_rows()))

    assert Postcode.objects.get(postcode="SW1A 2AA").neighbourhood is None
    assert "outside every neighbourhood: 1\n" in stdout


def test_the_summary_counts_rows_and_bad_rows_by_reason(tmp_path, north, south):
    stdout, _ = run_import(write_csv(tmp_path / "onspd.csv", sample_rows()))

    assert stdout.splitlines()[:10] == [
        "rows read: 50",
        "imported: 44",
        "outside every neighbourhood: 1",
        "bad: 6",
        "  bad postcode: 2",
        "  missing lat/long: 1",
        "  no grid reference: 1",
        "  out-of-range lat/long: 1",
        "  unparsable lat/long: 1",
        "Imported postcodes from " + str(tmp_path / "onspd.csv") + ".",
    ]
    assert Postcode.objects.count() == 44


def test_bad_rows_are_reported_with_their_line_number(tmp_path, north, south):
    _, stderr = run_import(write_csv(tmp_path / "onspd.csv", sample_rows()))

    assert stderr.splitlines() == [
        "line 46: bad postcode: 'NOT A POSTCODE' is not a UK postcode",
        "line 47: no grid reference: lat is 99.999999",
        "line 48: missing lat/long: lat is empty",
        "line 49: unparsable lat/long: lat 'north' is not a number",
        "line 50: out-of-range lat/long: long '200' is out of range",
        "line 51: bad postcode: '' is not a UK postcode",
    ]


def test_only_the_first_twenty_bad_rows_are_listed(tmp_path, north):
    rows = [(f"BAD{n}", *NORTH) for n in range(25)]

    stdout, stderr = run_import(write_csv(tmp_path / "onspd.csv", rows))

    lines = stderr.splitlines()
    assert len(lines) == 21
    assert lines[19].startswith("line 21: bad postcode")
    assert lines[20] == "... and 5 more bad rows."
    assert "  bad postcode: 25" in stdout


def test_postcodes_are_stored_in_normal_form(tmp_path, north):
    run_import(write_csv(tmp_path / "onspd.csv", [(" de561aa ", *NORTH)]))

    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["DE56 1AA"]


def test_running_twice_changes_nothing(tmp_path, north, south):
    path = write_csv(tmp_path / "onspd.csv", sample_rows())
    run_import(path)
    before = list(Postcode.objects.order_by("pk").values())

    run_import(path)

    assert list(Postcode.objects.order_by("pk").values()) == before


def test_a_second_run_with_a_moved_postcode_updates_its_row(tmp_path, north, south):
    rows = sample_rows()
    run_import(write_csv(tmp_path / "onspd.csv", rows))
    rows[0] = ("DE56 1AA", 52.9005, -1.5002)

    run_import(write_csv(tmp_path / "onspd.csv", rows), "--batch-size", "7")

    moved = Postcode.objects.get(postcode="DE56 1AA")
    assert (moved.latitude, moved.longitude, moved.neighbourhood) == (52.9005, -1.5002, south)
    assert Postcode.objects.count() == 44


def test_the_later_row_wins_when_a_postcode_is_repeated(tmp_path, north, south):
    rows = [("DE56 1AA", *NORTH), ("DE56 1AA", *SOUTH)]

    run_import(write_csv(tmp_path / "onspd.csv", rows))

    assert Postcode.objects.get().neighbourhood == south


def test_twenty_thousand_rows_import_with_a_few_queries_per_batch(
    tmp_path, north, south, django_assert_max_num_queries
):
    path = write_csv(tmp_path / "onspd.csv", generated_rows(20_000))

    # 4 batches of 5,000: a savepoint, one upsert and its release each, and the locator's load.
    with django_assert_max_num_queries(16):
        stdout, _ = run_import(path, "--no-progress")

    assert "imported: 20,000" in stdout
    assert Postcode.objects.count() == 20_000
    assert Postcode.objects.filter(neighbourhood=north).count() == 6_667
    assert Postcode.objects.filter(neighbourhood__isnull=True).count() == 6_666


def test_a_progress_bar_is_drawn_only_on_a_terminal(tmp_path, north):
    path = write_csv(tmp_path / "onspd.csv", sample_rows())

    _, on_terminal = run_import(path, stderr=TerminalStringIO())
    _, turned_off = run_import(path, "--no-progress", stderr=TerminalStringIO())
    _, not_a_terminal = run_import(path)

    assert "Postcodes: 100%" in on_terminal
    assert "Postcodes" not in turned_off
    assert "Postcodes" not in not_a_terminal


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be opened"):
        run_import(tmp_path / "missing.csv")


def test_a_file_without_the_needed_columns_is_a_command_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("postcode,latitude,longitude\nDE1 1AA,52.9,-1.4\n")

    with pytest.raises(CommandError, match="no column pcds, lat, long"):
        run_import(path)


def test_a_batch_size_below_one_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        run_import(write_csv(tmp_path / "onspd.csv", []), "--batch-size", "0")
