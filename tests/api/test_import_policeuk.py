import datetime
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from api.imports.policeuk_parsing import BadRecord, name_without_rank, rank, text_from_html
from config import caching
from engagement.models import Priority
from meetings.models import Event
from neighbourhoods.geo import boundary_geometry, get_locator
from neighbourhoods.models import Force, Neighbourhood, Postcode
from officers.models import Assignment, Officer, Rank
from officers.services import officer_profile_update
from tests.factories import AssignmentFactory, NeighbourhoodFactory, PostcodeFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "policeuk"
UTC = datetime.UTC


def run_import(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_policeuk", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def summary(stdout: str) -> dict[str, tuple[int, int, int, int, int]]:
    """{kind: (created, updated, unchanged, bad, bad values)} from the summary table."""
    rows = re.findall(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", stdout, re.MULTILINE)
    return {kind: tuple(int(n) for n in numbers) for kind, *numbers in rows}


def copy_of_data(tmp_path: Path) -> Path:
    folder = tmp_path / "policeuk"
    shutil.copytree(DATA, folder)
    return folder


def snapshot() -> dict:
    models = [Force, Neighbourhood, Officer, Assignment, Event, Priority]
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    history = {
        f"{model.__name__} history": model.history.count()
        for model in [Neighbourhood, Officer, Assignment]
    }
    return rows | history


def test_import_creates_the_force_from_its_file():
    run_import(str(DATA))

    force = Force.objects.get(slug="derbyshire")
    assert force.name == "Derbyshire Constabulary"
    assert force.url == "https://www.derbyshire.police.uk"
    assert force.telephone == "101"
    assert force.description == "<p>Keeping <strong>Derbyshire</strong> safe.</p>"
    assert force.engagement_methods[1] == {
        "url": "https://x.com/derbyshirepolice",
        "title": "twitter",
        "description": "News and appeals",
    }


def test_import_creates_each_neighbourhood_with_its_details():
    run_import(str(DATA))

    belper = Neighbourhood.objects.get(force__slug="derbyshire", code="BEL01")
    assert belper.name == "Belper"
    assert belper.slug == "belper"
    assert belper.population == 23250
    assert belper.url_force == "https://www.derbyshire.police.uk/area/your-area/belper"
    assert (belper.centre_latitude, belper.centre_longitude) == (53.0237, -1.4817)
    assert belper.links == [
        {
            "url": "https://www.ambervalley.gov.uk",
            "title": "Amber Valley Borough Council",
            "description": None,
        }
    ]
    assert belper.locations[0]["postcode"] == "DE56 1WB"
    assert belper.locations[0]["latitude"] == "53.0231"
    ripley = Neighbourhood.objects.get(code="RIP02")
    assert ripley.population is None


def test_contact_details_go_to_the_columns_and_the_rest_to_social_links():
    run_import(str(DATA))

    belper = Neighbourhood.objects.get(code="BEL01")
    assert belper.email == "belper.snt@derbyshire.police.uk"
    assert belper.telephone == "101"
    assert belper.social_links == {
        "facebook": "https://www.facebook.com/belperpolice",
        "twitter": "https://x.com/belperpolice",
    }


def test_neighbourhood_description_is_sanitised():
    run_import(str(DATA))

    description = Neighbourhood.objects.get(code="BEL01").description
    assert "<script" not in description
    assert "alert" not in description
    assert "onclick" not in description
    assert "<img" not in description
    assertInHTML("<em>River Derwent</em>", description)
    assert (
        '<a href="https://www.belper.gov.uk" rel="nofollow noopener">Town council</a>'
        in description
    )


def test_boundary_json_becomes_a_closed_geojson_polygon_in_longitude_latitude_order():
    run_import(str(DATA))

    boundary = Neighbourhood.objects.get(code="BEL01").boundary
    assert boundary["type"] == "Polygon"
    ring = boundary["coordinates"][0]
    assert ring[0] == [-1.5, 53.01]
    assert ring[0] == ring[-1]
    assert len(ring) == 5


def test_boundaries_from_json_and_kml_are_usable_by_the_locator():
    run_import(str(DATA))
    belper = Neighbourhood.objects.get(code="BEL01")
    ripley = Neighbourhood.objects.get(code="RIP02")

    locator = get_locator()

    assert locator.locate(53.025, -1.48) == belper.pk
    assert locator.locate(53.055, -1.42) == ripley.pk
    assert locator.locate(53.075, -1.365) == ripley.pk  # the KML's second polygon
    assert locator.locate(53.0475, -1.405) is None  # the hole in the first one
    assert locator.locate(51.5, -0.12) is None


def test_kml_multigeometry_becomes_a_multipolygon_with_its_hole():
    run_import(str(DATA))

    boundary = Neighbourhood.objects.get(code="RIP02").boundary
    assert boundary["type"] == "MultiPolygon"
    assert [len(polygon) for polygon in boundary["coordinates"]] == [2, 1]
    assert boundary["coordinates"][1][0][0] == boundary["coordinates"][1][0][-1]


def test_centre_is_a_point_inside_the_boundary_when_the_file_has_none():
    run_import(str(DATA))

    ripley = Neighbourhood.objects.get(code="RIP02")
    geometry = boundary_geometry(ripley.boundary)
    assert geometry.contains(shapely.Point(ripley.centre_longitude, ripley.centre_latitude))


def test_import_moves_the_cache_versions_on():
    boundaries, content = caching.boundaries_version(), caching.public_content_version()

    run_import(str(DATA))

    assert caching.boundaries_version() > boundaries
    assert caching.public_content_version() > content


def test_people_become_officers_with_their_rank_and_plain_text_bio():
    run_import(str(DATA))

    officers = {o.display_name: o for o in Officer.objects.all()}
    assert set(officers) == {"Mick Cartwright", "Jo Bloggs", "Sam Patel", "Claire Booth"}
    assert officers["Mick Cartwright"].rank == Rank.SGT
    assert officers["Jo Bloggs"].rank == Rank.PCSO
    assert officers["Sam Patel"].rank == Rank.PC
    assert officers["Claire Booth"].rank == Rank.INSP
    assert officers["Mick Cartwright"].bio == (
        "Mick leads the Belper and Ripley teams.\n\nHe has served for twenty years & counting."
    )
    assert officers["Mick Cartwright"].email == "mick.cartwright@derbyshire.police.uk"
    assert officers["Claire Booth"].phone == "01773 570100"
    assert officers["Sam Patel"].user is None


def test_people_join_the_team_by_rank_from_today_never_as_named_officer():
    run_import(str(DATA))

    roles = {
        (a.officer.display_name, a.neighbourhood.code): a.role
        for a in Assignment.objects.select_related("officer", "neighbourhood")
    }
    assert roles == {
        ("Mick Cartwright", "BEL01"): Assignment.Role.SERGEANT,
        ("Jo Bloggs", "BEL01"): Assignment.Role.TEAM_MEMBER,
        ("Sam Patel", "BEL01"): Assignment.Role.TEAM_MEMBER,
        ("Mick Cartwright", "RIP02"): Assignment.Role.SERGEANT,
        ("Claire Booth", "RIP02"): Assignment.Role.INSPECTOR,
    }
    assert set(Assignment.objects.values_list("start_date", flat=True)) == {timezone.localdate()}
    assert not Assignment.objects.filter(end_date__isnull=False).exists()


def test_an_officer_listed_in_two_neighbourhoods_is_one_profile_set_by_the_first_listing():
    run_import(str(DATA))

    mick = Officer.objects.get(display_name="Mick Cartwright")
    assert mick.assignments.count() == 2
    assert mick.bio.startswith("Mick leads")


def test_an_officer_already_in_the_team_is_matched_by_name_and_rank(tmp_path):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    mick = Officer.objects.get(display_name="Mick Cartwright")
    sam = Officer.objects.get(display_name="Sam Patel")
    mick.assignments.all().delete()  # Mick has left; Sam stays.
    people = folder / "derbyshire" / "BEL01" / "people.json"
    records = json.loads(people.read_text())
    records[3]["contact_details"]["email"] = "s.patel@derbyshire.police.uk"
    people.write_text(json.dumps(records))

    run_import(str(folder))

    sam.refresh_from_db()
    assert sam.email == "s.patel@derbyshire.police.uk"
    assert Officer.objects.filter(display_name="Sam Patel").count() == 1
    # Nothing ties the old Mick to the force any more, so the listing is a new profile.
    assert Officer.objects.filter(display_name="Mick Cartwright").count() == 2


def test_an_existing_named_officer_keeps_their_role():
    belper = NeighbourhoodFactory(code="BEL01", slug="belper-existing", force__slug="derbyshire")
    AssignmentFactory(
        neighbourhood=belper,
        officer__display_name="Sam Patel",
        officer__rank=Rank.PC,
        role=Assignment.Role.NAMED_OFFICER,
    )

    run_import(str(DATA))

    sam = Officer.objects.get(display_name="Sam Patel")
    assert list(sam.assignments.values_list("role", flat=True)) == [Assignment.Role.NAMED_OFFICER]
    assert sam.email == "sam.patel@derbyshire.police.uk"


def test_events_get_uk_local_times_types_and_a_default_length():
    run_import(str(DATA))

    surgery = Event.objects.get(title="Belper beat surgery")
    assert surgery.event_type == Event.Type.BEAT_MEETING
    assert surgery.starts_at == datetime.datetime(2026, 7, 1, 18, 0, tzinfo=UTC)  # BST
    assert surgery.ends_at == datetime.datetime(2026, 7, 1, 19, 30, tzinfo=UTC)
    assert surgery.description == "Come and talk to your local team."
    assert surgery.address == "Belper Library, Derwent Street"
    marking = Event.objects.get(title="Bike marking")
    assert marking.event_type == Event.Type.COMMUNITY_EVENT
    assert marking.starts_at == datetime.datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # GMT
    assert marking.ends_at == marking.starts_at + datetime.timedelta(hours=1)
    assert marking.status == Event.Status.SCHEDULED


def test_priorities_are_stored_as_open_plain_text():
    run_import(str(DATA))

    asb = Priority.objects.get(issue__startswith="Anti-social")
    assert asb.issue == "Anti-social behaviour in the Market Place & the park"
    assert asb.action == "Extra patrols on Friday and Saturday evenings."
    assert asb.issue_date == datetime.date(2026, 3, 2)
    assert asb.action_date == datetime.date(2026, 3, 20)
    assert asb.status == Priority.Status.OPEN
    drugs = Priority.objects.get(neighbourhood__code="RIP02")
    assert (drugs.action, drugs.action_date) == ("", None)


def test_a_priority_without_an_issue_date_is_dated_the_day_it_is_first_imported(tmp_path):
    run_import(str(DATA))
    speeding = Priority.objects.get(issue="Speeding on Derby Road")
    assert speeding.issue_date == timezone.localdate()
    speeding.issue_date = datetime.date(2026, 1, 5)
    speeding.save()

    run_import(str(DATA))

    assert Priority.objects.filter(issue="Speeding on Derby Road").count() == 1


def test_bad_records_are_reported_by_file_and_position():
    _, stderr = run_import(str(DATA))

    problems = [line.strip() for line in stderr.splitlines()[1:]]
    assert problems[4].startswith("derbyshire/RIP02/events.json: is not valid JSON")
    assert problems[:4] + problems[5:] == [
        'derbyshire/BEL01/people.json[2]: rank "Detective Chief Superintendent" is not a rank '
        "the portal knows",
        'derbyshire/BEL01/events.json[2]: start_date "tomorrow" is not a date',
        "derbyshire/BEL01/events.json[3]: title 42 is not text",
        'derbyshire/BEL01/priorities.json[1]: missing "issue"',
        'derbyshire/neighbourhoods.json[2]: missing "id"',
    ]
    assert stderr.startswith("6 records or values could not be imported")


def test_summary_counts_each_kind():
    stdout, _ = run_import(str(DATA))

    assert summary(stdout) == {
        "forces": (1, 0, 0, 0, 0),
        "neighbourhoods": (2, 0, 0, 1, 0),
        "boundaries": (2, 0, 0, 0, 0),
        "officers": (4, 0, 1, 1, 0),
        "assignments": (5, 0, 0, 0, 0),
        "events": (2, 0, 0, 3, 0),
        "priorities": (3, 0, 0, 1, 0),
    }


def test_history_rows_record_the_import_as_the_reason():
    run_import(str(DATA))

    reasons = {
        *Neighbourhood.history.values_list("history_change_reason", flat=True),
        *Officer.history.values_list("history_change_reason", flat=True),
        *Assignment.history.values_list("history_change_reason", flat=True),
    }
    assert reasons == {"import_policeuk"}


def test_running_twice_changes_nothing():
    run_import(str(DATA))
    before = snapshot()

    stdout, _ = run_import(str(DATA))

    assert snapshot() == before
    counts = summary(stdout)
    assert all(created == updated == 0 for created, updated, *_ in counts.values())
    assert counts["neighbourhoods"][2] == 2
    assert counts["events"][2] == 2


def test_a_changed_value_updates_only_that_row(tmp_path):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    detail = folder / "derbyshire" / "BEL01.json"
    record = json.loads(detail.read_text())
    record["contact_details"]["email"] = "belper@derbyshire.police.uk"
    detail.write_text(json.dumps(record))
    history = Neighbourhood.history.count()

    stdout, _ = run_import(str(folder))

    assert Neighbourhood.objects.get(code="BEL01").email == "belper@derbyshire.police.uk"
    assert summary(stdout)["neighbourhoods"] == (0, 1, 1, 1, 0)
    assert Neighbourhood.history.count() == history + 1
    assert Neighbourhood.history.first().history_change_reason == "import_policeuk"


def test_an_invalid_boundary_is_reported_and_the_rest_still_imported(tmp_path):
    folder = copy_of_data(tmp_path)
    (folder / "derbyshire" / "BEL01" / "boundary.json").write_text(
        json.dumps([{"latitude": "53.01", "longitude": "-1.5"}, {"latitude": 53.02}])
    )

    stdout, stderr = run_import(str(folder))

    assert "derbyshire/BEL01/boundary.json[1]: longitude null is not a number" in stderr
    belper = Neighbourhood.objects.get(code="BEL01")
    assert belper.boundary is None
    assert belper.email == "belper.snt@derbyshire.police.uk"
    assert belper.events.count() == 2
    assert summary(stdout)["boundaries"] == (1, 0, 0, 1, 0)


def test_a_boundary_with_no_area_is_refused(tmp_path):
    folder = copy_of_data(tmp_path)
    points = [{"latitude": 53.0 + n / 100, "longitude": -1.5} for n in range(4)]
    (folder / "derbyshire" / "BEL01" / "boundary.json").write_text(json.dumps(points))

    _, stderr = run_import(str(folder))

    assert "derbyshire/BEL01/boundary.json: the boundary encloses no area" in stderr


def test_kml_with_entity_expansion_is_refused(tmp_path):
    folder = copy_of_data(tmp_path)
    (folder / "derbyshire" / "RIP02" / "boundary.kml").write_text(
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><kml>&b;</kml>'
    )

    _, stderr = run_import(str(folder))

    assert "derbyshire/RIP02/boundary.kml: is not valid KML" in stderr
    assert Neighbourhood.objects.get(code="RIP02").boundary is None


def test_a_missing_folder_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run_import(str(tmp_path / "nowhere"))


def test_a_missing_force_file_is_a_command_error():
    with pytest.raises(CommandError, match=r"There is no force file .*forces/nosuchforce\.json"):
        run_import(str(DATA), "--force", "nosuchforce")
    assert not Force.objects.exists()


def test_a_folder_without_force_files_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no force files"):
        run_import(str(tmp_path))


def test_force_option_imports_only_that_force(tmp_path):
    folder = copy_of_data(tmp_path)
    (folder / "forces" / "other.json").write_text(json.dumps({"id": "other", "name": "Other"}))

    run_import(str(folder), "--force", "derbyshire")

    assert list(Force.objects.values_list("slug", flat=True)) == ["derbyshire"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PC", Rank.PC),
        ("Police Constable", Rank.PC),
        ("PCSO", Rank.PCSO),
        ("police community support officer", Rank.PCSO),
        ("Special Constable", Rank.SC),
        ("Sgt.", Rank.SGT),
        ("Sergeant", Rank.SGT),
        ("Insp", Rank.INSP),
        ("Inspector", Rank.INSP),
        ("Chief  Inspector", Rank.CH_INSP),
    ],
)
def test_rank_text_maps_to_the_portal_rank(text, expected):
    assert rank(text) == expected


def test_an_unknown_rank_is_a_bad_record():
    with pytest.raises(BadRecord, match="Superintendent"):
        rank("Superintendent")


def test_a_leading_rank_matching_the_officer_rank_is_dropped_from_the_name():
    assert name_without_rank("Sgt. Mick Cartwright", Rank.SGT) == "Mick Cartwright"
    assert name_without_rank("Police Constable Sam Patel", Rank.PC) == "Sam Patel"
    assert name_without_rank("Sgt Pepper", Rank.PC) == "Sgt Pepper"
    assert name_without_rank("PC", Rank.PC) == "PC"


def test_plain_text_keeps_blocks_apart_and_decodes_entities():
    html = "<ul><li>Fish &amp; chips</li><li>Peas</li></ul><script>x()</script>"

    assert text_from_html(html) == "Fish & chips Peas"
    assert text_from_html(html, between_blocks=", ") == "Fish & chips, Peas"


def test_a_taken_slug_gets_the_code_added():
    NeighbourhoodFactory(slug="belper", code="OLD1")

    run_import(str(DATA))

    assert Neighbourhood.objects.get(code="BEL01").slug == "belper-bel01"


def test_a_finer_meeting_type_chosen_in_the_portal_is_kept():
    run_import(str(DATA))
    Event.objects.filter(title="Belper beat surgery").update(event_type=Event.Type.BEAT_SURGERY)

    stdout, _ = run_import(str(DATA))

    assert Event.objects.get(title="Belper beat surgery").event_type == Event.Type.BEAT_SURGERY
    assert summary(stdout)["events"] == (0, 0, 2, 3, 0)


def test_an_event_ending_before_it_starts_is_a_bad_record(tmp_path):
    folder = copy_of_data(tmp_path)
    events = folder / "derbyshire" / "BEL01" / "events.json"
    records = json.loads(events.read_text())
    records[0]["end_date"] = "2026-07-01T18:00:00"
    events.write_text(json.dumps(records))

    _, stderr = run_import(str(folder))

    assert (
        'derbyshire/BEL01/events.json[0]: end_date "2026-07-01T18:00:00" is not after '
        'start_date "2026-07-01T19:00:00"' in stderr
    )
    assert not Event.objects.filter(title="Belper beat surgery").exists()


def test_a_field_the_model_refuses_makes_the_record_bad(tmp_path):
    folder = copy_of_data(tmp_path)
    people = folder / "derbyshire" / "BEL01" / "people.json"
    records = json.loads(people.read_text())
    records[1]["contact_details"] = {"email": "not an email"}
    people.write_text(json.dumps(records))

    _, stderr = run_import(str(folder))

    assert "derbyshire/BEL01/people.json[1]: email: Enter a valid email address." in stderr
    assert not Officer.objects.filter(display_name="Jo Bloggs").exists()


# --- Web addresses ------------------------------------------------------------------------------


def edit_json(path: Path, change) -> None:
    record = json.loads(path.read_text())
    change(record)
    path.write_text(json.dumps(record))


def test_a_javascript_link_and_a_telephone_number_as_web_address_are_refused_and_reported(
    tmp_path,
):
    folder = copy_of_data(tmp_path)

    def bad_links(record):
        record["contact_details"]["web"] = "01773 570100"
        record["links"].append({"url": "javascript:alert(1)", "title": "Click me"})
        record["links"].append(
            {"url": "https://www.derbyshire.gov.uk", "title": "Derbyshire County Council"}
        )

    edit_json(folder / "derbyshire" / "BEL01.json", bad_links)

    stdout, stderr = run_import(str(folder))

    assert (
        'derbyshire/BEL01.json: contact_details.web "01773 570100" is not a web address '
        "(http or https) (left out)" in stderr
    )
    assert (
        'derbyshire/BEL01.json: links[1].url "javascript:alert(1)" is not a web address '
        "(http or https) (left out)" in stderr
    )
    belper = Neighbourhood.objects.get(code="BEL01")
    assert belper.social_links == {
        "facebook": "https://www.facebook.com/belperpolice",
        "twitter": "https://x.com/belperpolice",
    }
    assert [link["url"] for link in belper.links] == [
        "https://www.ambervalley.gov.uk",
        "https://www.derbyshire.gov.uk",
    ]
    assert belper.events.count() == 2
    assert summary(stdout)["neighbourhoods"] == (2, 0, 0, 1, 2)


def test_a_url_force_that_is_not_a_web_address_is_left_out_and_the_stored_one_kept(tmp_path):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    edit_json(
        folder / "derbyshire" / "BEL01.json",
        lambda record: record.update(url_force="javascript:alert(document.cookie)"),
    )

    _, stderr = run_import(str(folder))

    assert 'derbyshire/BEL01.json: url_force "javascript:alert(document.cookie)" is not' in stderr
    belper = Neighbourhood.objects.get(code="BEL01")
    assert belper.url_force == "https://www.derbyshire.police.uk/area/your-area/belper"


def test_a_new_neighbourhood_with_a_bad_url_force_is_imported_without_one(tmp_path):
    folder = copy_of_data(tmp_path)
    edit_json(folder / "derbyshire" / "RIP02.json", lambda r: r.update(url_force="ftp://x.uk"))

    run_import(str(folder))

    ripley = Neighbourhood.objects.get(code="RIP02")
    assert ripley.url_force == ""
    assert ripley.email == "ripley.snt@derbyshire.police.uk"


def test_a_force_engagement_method_and_url_must_be_web_addresses(tmp_path):
    folder = copy_of_data(tmp_path)

    def bad_force(record):
        record["url"] = "data:text/html,<script>alert(1)</script>"
        record["engagement_methods"][0]["url"] = "javascript:alert(1)"

    edit_json(folder / "forces" / "derbyshire.json", bad_force)

    stdout, stderr = run_import(str(folder))

    assert 'forces/derbyshire.json: url "data:text/html,' in stderr
    assert 'forces/derbyshire.json: engagement_methods[0].url "javascript:alert(1)"' in stderr
    force = Force.objects.get(slug="derbyshire")
    assert force.url == ""
    assert [method["title"] for method in force.engagement_methods] == ["twitter"]
    assert summary(stdout)["forces"] == (1, 0, 0, 0, 2)


def test_fax_and_mobile_are_ignored_fields_not_links(tmp_path):
    folder = copy_of_data(tmp_path)
    edit_json(
        folder / "derbyshire" / "BEL01.json",
        lambda record: record["contact_details"].update(
            mobile="07700 900123", fax="01773 570199", web="https://www.belper.police.uk"
        ),
    )

    stdout, stderr = run_import(str(folder))

    belper = Neighbourhood.objects.get(code="BEL01")
    assert set(belper.social_links) == {"facebook", "twitter", "web"}
    assert "07700 900123" not in json.dumps(belper.social_links)
    assert "mobile" not in stderr
    assert "fax" not in stderr
    assert "  contact_details.fax: 1\n" in stdout
    assert "  contact_details.mobile: 1\n" in stdout
    assert summary(stdout)["neighbourhoods"] == (2, 0, 0, 1, 0)


def test_an_officers_other_contact_details_are_counted_as_ignored():
    stdout, _ = run_import(str(DATA))

    assert "Ignored, the portal has no place for them:\n  contact_details.twitter: 1\n" in stdout


# --- Officers -----------------------------------------------------------------------------------


def test_an_officer_with_an_account_keeps_their_portal_profile_after_another_import(
    tmp_path, officer_account
):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    sam = Officer.objects.get(display_name="Sam Patel")
    sam.user = officer_account
    sam.save(update_fields=["user"])
    officer_profile_update(
        officer=sam,
        by=officer_account,
        bio="I look after Belper town centre.",
        email="sam@derbyshire.police.uk",
        phone="07700 900123",
        responsibilities="",
        languages=[],
    )
    people = folder / "derbyshire" / "BEL01" / "people.json"
    records = json.loads(people.read_text())
    records[3]["bio"] = "A biography the force wrote."
    records[3]["contact_details"] = {"email": "other@derbyshire.police.uk", "telephone": "101"}
    people.write_text(json.dumps(records))
    # Sam now also serves in Ripley.
    ripley_people = folder / "derbyshire" / "RIP02" / "people.json"
    ripley_people.write_text(json.dumps([*json.loads(ripley_people.read_text()), records[3]]))

    stdout, _ = run_import(str(folder))

    sam.refresh_from_db()
    assert sam.bio == "I look after Belper town centre."
    assert sam.email == "sam@derbyshire.police.uk"
    assert sam.phone == "07700 900123"
    assert (sam.display_name, sam.rank) == ("Sam Patel", Rank.PC)
    assert sorted(sam.assignments.values_list("neighbourhood__code", flat=True)) == [
        "BEL01",
        "RIP02",
    ]
    assert summary(stdout)["officers"] == (0, 0, 6, 1, 0)
    assert summary(stdout)["assignments"] == (1, 0, 5, 0, 0)


def test_an_officer_without_an_account_gets_the_profile_from_the_files(tmp_path):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    people = folder / "derbyshire" / "BEL01" / "people.json"
    records = json.loads(people.read_text())
    records[3]["bio"] = "Sam has moved to days."
    people.write_text(json.dumps(records))

    run_import(str(folder))

    assert Officer.objects.get(display_name="Sam Patel").bio == "Sam has moved to days."


def test_an_officer_phone_is_written_as_the_profile_form_writes_it(tmp_path):
    folder = copy_of_data(tmp_path)
    people = folder / "derbyshire" / "BEL01" / "people.json"
    records = json.loads(people.read_text())
    records[1]["contact_details"] = {"telephone": "+44 1773 570100"}
    people.write_text(json.dumps(records))

    run_import(str(folder))

    assert Officer.objects.get(display_name="Jo Bloggs").phone == "01773 570100"


def test_an_officer_phone_that_is_not_a_uk_number_is_reported_and_left_blank(tmp_path):
    folder = copy_of_data(tmp_path)
    people = folder / "derbyshire" / "BEL01" / "people.json"
    records = json.loads(people.read_text())
    records[1]["contact_details"] = {"telephone": "javascript:alert(1)"}
    people.write_text(json.dumps(records))

    stdout, stderr = run_import(str(folder))

    assert (
        'derbyshire/BEL01/people.json[1]: contact_details.telephone "javascript:alert(1)" is not '
        "a UK telephone number (left out)" in stderr
    )
    jo = Officer.objects.get(display_name="Jo Bloggs")
    assert jo.phone == ""
    assert summary(stdout)["officers"] == (4, 0, 1, 1, 1)


# --- Postcodes ----------------------------------------------------------------------------------


def box(south: float, west: float, north: float, east: float) -> list[dict]:
    return [
        {"latitude": south, "longitude": west},
        {"latitude": south, "longitude": east},
        {"latitude": north, "longitude": east},
        {"latitude": north, "longitude": west},
    ]


def test_a_boundary_change_moves_the_postcodes_it_puts_in_or_out(tmp_path):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    belper = Neighbourhood.objects.get(code="BEL01")
    ripley = Neighbourhood.objects.get(code="RIP02")
    places = {
        "DE56 1AA": (53.035, -1.48),  # Belper's north end, which becomes Ripley's
        "DE56 1AB": (53.02, -1.51),  # west of Belper, which Belper takes in
        "DE56 1AD": (53.02, -1.48),  # Belper, before and after
        "DE5 3AA": (53.045, -1.45),  # in neither, then in Ripley
        "DE5 3AB": (53.055, -1.42),  # Ripley, before and after
        "SW1A 2AA": (51.5, -0.12),  # far away
    }
    csv_path = tmp_path / "onspd.csv"
    csv_path.write_text(
        "pcds,lat,long\n" + "".join(f"{pc},{lat},{lng}\n" for pc, (lat, lng) in places.items())
    )
    call_command("import_postcodes", str(csv_path), stdout=io.StringIO())
    assert dict(Postcode.objects.values_list("postcode", "neighbourhood_id")) == {
        "DE56 1AA": belper.pk,
        "DE56 1AB": None,
        "DE56 1AD": belper.pk,
        "DE5 3AA": None,
        "DE5 3AB": ripley.pk,
        "SW1A 2AA": None,
    }
    (folder / "derbyshire" / "BEL01" / "boundary.json").write_text(
        json.dumps(box(53.01, -1.52, 53.03, -1.46))
    )
    (folder / "derbyshire" / "RIP02" / "boundary.kml").unlink()
    (folder / "derbyshire" / "RIP02" / "boundary.json").write_text(
        json.dumps(box(53.03, -1.50, 53.06, -1.38))
    )

    stdout, _ = run_import(str(folder))

    assert dict(Postcode.objects.values_list("postcode", "neighbourhood_id")) == {
        "DE56 1AA": ripley.pk,
        "DE56 1AB": belper.pk,
        "DE56 1AD": belper.pk,
        "DE5 3AA": ripley.pk,
        "DE5 3AB": ripley.pk,
        "SW1A 2AA": None,
    }
    assert "Postcodes moved by changed boundaries: 3\n" in stdout


def test_a_boundary_that_shrinks_leaves_the_postcodes_outside_it_in_no_neighbourhood(tmp_path):
    folder = copy_of_data(tmp_path)
    run_import(str(folder))
    belper = Neighbourhood.objects.get(code="BEL01")
    PostcodeFactory(postcode="DE56 1AA", latitude=53.035, longitude=-1.48, neighbourhood=belper)
    PostcodeFactory(postcode="DE56 1AD", latitude=53.02, longitude=-1.48, neighbourhood=belper)
    (folder / "derbyshire" / "BEL01" / "boundary.json").write_text(
        json.dumps(box(53.01, -1.50, 53.03, -1.46))
    )

    stdout, _ = run_import(str(folder))

    assert Postcode.objects.get(postcode="DE56 1AA").neighbourhood is None
    assert Postcode.objects.get(postcode="DE56 1AD").neighbourhood == belper
    assert "Postcodes moved by changed boundaries: 1\n" in stdout


def test_an_import_that_changes_no_boundary_places_no_postcode_again():
    run_import(str(DATA))
    belper = Neighbourhood.objects.get(code="BEL01")
    # Wrong on purpose: a run with unchanged boundaries does not look at postcodes.
    PostcodeFactory(postcode="DE56 1AA", latitude=51.5, longitude=-0.12, neighbourhood=belper)

    stdout, _ = run_import(str(DATA))

    assert Postcode.objects.get(postcode="DE56 1AA").neighbourhood == belper
    assert "Postcodes moved by changed boundaries: 0\n" in stdout
