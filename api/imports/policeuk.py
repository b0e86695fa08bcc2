"""Import forces, neighbourhoods, boundaries, teams, events and priorities from data.police.uk.

The files are in the data.police.uk JSON format, in a folder that mirrors the API's paths (which
is how such files are saved):

    <folder>/forces/<force>.json            {"id", "name", "description", "url", "telephone",
                                             "engagement_methods": [...]}
    <folder>/<force>/neighbourhoods.json    [{"id", "name"}]
    <folder>/<force>/<id>.json              {"id", "name", "url_force", "description", "population",
                                             "centre": {"latitude", "longitude"},
                                             "contact_details": {...}, "links": [...],
                                             "locations": [...]}
    <folder>/<force>/<id>/boundary.json     [{"latitude", "longitude"}, ...]
    <folder>/<force>/<id>/boundary.kml      instead of boundary.json: KML Polygon or MultiGeometry
    <folder>/<force>/<id>/people.json       [{"name", "rank", "bio", "contact_details"}]
    <folder>/<force>/<id>/events.json       [{"title", "type", "description", "address",
                                              "contact_details", "start_date", "end_date"}]
    <folder>/<force>/<id>/priorities.json   [{"issue", "issue-date", "action", "action-date"}]

Rows are found by natural keys and written only when a value differs, so a second run changes
nothing: Force by slug; Neighbourhood by (force, code); Officer by (name, rank) among the officers
assigned in the force's neighbourhoods (this neighbourhood's team first); Event by (neighbourhood,
title, starts_at); Priority by (neighbourhood, issue, issue_date). An officer listed in several
neighbourhoods is one profile with an assignment to each; the first listing in a run sets the
profile. An officer with a staff account keeps their profile in the portal: the import only adds
their missing assignments. Imported officers join the team (sergeant, inspector or team member by
rank), never as named officer: the force chooses those. Rows missing from the files are left alone.

Descriptions keep a little safe HTML (nh3: paragraphs, lists, emphasis, links marked nofollow);
priorities, biographies, event descriptions and addresses become plain text. Web addresses (url,
url_force, links, engagement_methods and the contact details that are links: facebook, twitter,
youtube, myspace, bebo, flickr, google-plus, forum, e-messaging, blog, rss, web) must be http or
https. Officers' telephone numbers are written as the portal's profile form writes them. Contact
details with no place in the portal (mobile, fax, address) are counted as ignored. Event times
are UK local time. Boundaries become GeoJSON (longitude, latitude); without a centre in the file,
the centre is a point inside the boundary. Ranks are mapped to the portal's (an unknown rank is a
bad record) and a leading rank is dropped from the name ("Sgt Mick Cartwright" is Mick
Cartwright). A priority without an issue-date is matched by its issue text; a new one is dated
the day it is first imported.

A record the import cannot use is reported by file and position (from 0) and skipped; everything
else is still imported. A bad value in a record that is otherwise usable (a link that is not a
web address, a telephone number that is not one) is reported the same way and left out, and the
rest of the record imported. Each neighbourhood is written in one transaction; history rows give
"import_policeuk" as the reason for the change. Afterwards the postcodes in and around each
neighbourhood whose boundary changed are placed again in the neighbourhood that contains them.
"""

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from api.imports.policeuk_parsing import (
    ROLE_FOR_RANK,
    BadRecord,
    LeftOut,
    as_dict,
    as_list,
    boundary_from_kml,
    boundary_from_points,
    checked_boundary,
    contact_details,
    event_type,
    ignored_contact_details,
    latitude_longitude,
    link_list,
    local_datetime,
    name_without_rank,
    object_list,
    optional_date,
    population,
    rank,
    read_json,
    shown,
    social_links,
    text,
    text_from_html,
    web_address,
)
from api.imports.report import PoliceUkReport
from config import caching
from engagement.models import Priority
from meetings.models import Event
from neighbourhoods.models import LOCATION_KEYS, Force, Neighbourhood
from neighbourhoods.postcodes import postcodes_relocate
from neighbourhoods.sanitise import sanitised_html
from officers.models import Assignment, Officer
from officers.services import phone_number_format

CHANGE_REASON = "import_policeuk"
UNSAFE_ID_RE = re.compile(r"[/\\]|^\.")
URL_MAX_LENGTH = Neighbourhood._meta.get_field("url_force").max_length


class ImportSourceMissing(Exception):
    """The folder or the requested force file does not exist: nothing can be imported."""


def policeuk_import(
    *, folder: Path, force_slug: str | None = None, today: datetime.date | None = None
) -> PoliceUkReport:
    """Import every force file in `folder`/forces, or only `force_slug`'s, then place again the
    postcodes around each neighbourhood whose boundary changed."""
    if not folder.is_dir():
        raise ImportSourceMissing(f"{folder} is not a folder.")
    if force_slug is not None:
        try:
            validate_slug(force_slug)
        except ValidationError:
            raise ImportSourceMissing(f"{force_slug!r} is not a force id.") from None
        force_files = [folder / "forces" / f"{force_slug}.json"]
        if not force_files[0].is_file():
            raise ImportSourceMissing(f"There is no force file {force_files[0]}.")
    else:
        force_files = sorted((folder / "forces").glob("*.json"))
        if not force_files:
            raise ImportSourceMissing(f"There are no force files in {folder / 'forces'}.")
    report = PoliceUkReport()
    for path in force_files:
        _ForceImport(folder, path.stem, report, today or timezone.localdate()).run()
    if report.changed:
        # Committed by now: a locator built from here on sees the new boundaries.
        caching.bump_boundaries_version()
        caching.bump_public_content_version()
    if report.boundaries_changed:
        report.postcodes_moved = postcodes_relocate(
            neighbourhood_ids=sorted(report.boundaries_changed)
        )
    return report


def _save(instance: models.Model, values: dict[str, Any], *, created: bool) -> str:
    """Write `values` when they differ from the row's; answer created, updated or unchanged."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not created and not changed:
        return "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise BadRecord(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
        ) from None
    instance._change_reason = CHANGE_REASON
    if created:
        instance.save()
        return "created"
    has_updated_at = any(f.name == "updated_at" for f in instance._meta.concrete_fields)
    instance.save(update_fields=[*changed, "updated_at"] if has_updated_at else changed)
    return "updated"


class _ForceImport:
    def __init__(self, folder: Path, slug: str, report: PoliceUkReport, today: datetime.date):
        self.folder, self.slug, self.report, self.today = folder, slug, report, today
        self.force: Force | None = None
        # Officers of the force by (display name, rank), and who is in which team.
        self.officers: dict[tuple[str, str], list[Officer]] = {}
        self.current_team: set[tuple[int, int]] = set()
        self.any_team: set[tuple[int, int]] = set()
        self.profiles_done: set[int] = set()

    def run(self) -> None:
        self.force = self._force()
        if self.force is None:
            return
        self._load_officers()
        where = f"{self.slug}/neighbourhoods.json"
        path = self.folder / self.slug / "neighbourhoods.json"
        if not path.is_file():
            self.report.bad("neighbourhoods", where, "file not found")
            return
        try:
            entries = as_list(read_json(path))
        except BadRecord as exc:
            self.report.bad("neighbourhoods", where, exc)
            return
        for position, entry in enumerate(entries):
            try:
                entry = as_dict(entry)
                code = text(entry, "id", required=True)
                if UNSAFE_ID_RE.search(code):
                    raise BadRecord(f"id {shown(code)} cannot be a file name")
            except BadRecord as exc:
                self.report.bad("neighbourhoods", where, exc, position)
                continue
            self._neighbourhood_in_transaction(code, text(entry, "name"))

    def _force(self) -> Force | None:
        where = f"forces/{self.slug}.json"
        existing = Force.objects.filter(slug=self.slug).first()
        force = existing or Force(slug=self.slug)
        left_out = LeftOut()
        try:
            record = as_dict(read_json(self.folder / where))
            values = {
                "name": text(record, "name", required=True),
                "description": sanitised_html(text(record, "description")),
                "telephone": text(record, "telephone"),
                "engagement_methods": link_list(
                    record.get("engagement_methods"), "engagement_methods", left_out
                ),
            }
            try:
                values["url"] = web_address(record.get("url"), "url", max_length=URL_MAX_LENGTH)
            except BadRecord as exc:
                left_out.bad.append(str(exc))
            with transaction.atomic():
                outcome = _save(force, values, created=existing is None)
        except BadRecord as exc:
            self.report.bad("forces", where, exc)
            return existing
        self.report.count("forces", outcome)
        self.report.left_out("forces", where, left_out)
        return force

    def _load_officers(self) -> None:
        self.officers, self.current_team, self.any_team = {}, set(), set()
        assignments = Assignment.objects.filter(neighbourhood__force=self.force).select_related(
            "officer"
        )
        for assignment in assignments.order_by("officer_id"):
            officer = assignment.officer
            candidates = self.officers.setdefault((officer.display_name, officer.rank), [])
            if officer not in candidates:
                candidates.append(officer)
            key = (officer.pk, assignment.neighbourhood_id)
            self.any_team.add(key)
            ended = assignment.end_date is not None and assignment.end_date < self.today
            if assignment.start_date <= self.today and not ended:
                self.current_team.add(key)

    def _neighbourhood_in_transaction(self, code: str, listed_name: str) -> None:
        report = PoliceUkReport()
        try:
            with transaction.atomic():
                self._neighbourhood(code, listed_name, report)
        except DatabaseError as exc:
            self.report.bad(
                "neighbourhoods",
                f"{self.slug}/{code}.json",
                f"nothing of this neighbourhood was imported, the database refused it: {exc}",
            )
            self._load_officers()
            return
        self.report.merge(report)

    def _neighbourhood(self, code: str, listed_name: str, report: PoliceUkReport) -> None:
        where = f"{self.slug}/{code}.json"
        neighbourhood = Neighbourhood.objects.filter(force=self.force, code=code).first()
        boundary, inside = self._boundary(code, report)
        try:
            path = self.folder / where
            if not path.is_file():
                raise BadRecord("file not found")
            left_out = LeftOut()
            values = self._neighbourhood_values(as_dict(read_json(path)), listed_name, left_out)
            if boundary is not None:
                values["boundary"] = boundary
                if values.get("centre_latitude") is None:
                    values["centre_latitude"], values["centre_longitude"] = inside
            old_boundary = neighbourhood.boundary if neighbourhood else None
            created = neighbourhood is None
            if created:
                neighbourhood = Neighbourhood(
                    force=self.force, code=code, slug=self._free_slug(values["name"], code)
                )
            report.count("neighbourhoods", _save(neighbourhood, values, created=created))
        except BadRecord as exc:
            report.bad("neighbourhoods", where, exc)
            if neighbourhood is None or neighbourhood.pk is None:
                return
        else:
            report.left_out("neighbourhoods", where, left_out)
            if boundary is not None and boundary == old_boundary:
                report.count("boundaries", "unchanged")
            elif boundary is not None:
                report.count("boundaries", "created" if old_boundary is None else "updated")
                report.boundaries_changed.add(neighbourhood.pk)
        self._people(neighbourhood, report)
        self._events(neighbourhood, report)
        self._priorities(neighbourhood, report)

    def _neighbourhood_values(
        self, record: dict, listed_name: str, left_out: LeftOut
    ) -> dict[str, Any]:
        """The record's values; a bad url_force is left out, so a stored one stays."""
        contact = contact_details(record)
        name = text(record, "name") or listed_name
        if not name:
            raise BadRecord('missing "name"')
        values = {
            "name": name,
            "description": sanitised_html(text(record, "description")),
            "population": population(record.get("population")),
            "email": text(contact, "email"),
            "telephone": text(contact, "telephone"),
            "social_links": social_links(contact, left_out),
            "links": link_list(record.get("links"), "links", left_out),
            "locations": object_list(record.get("locations"), "locations", LOCATION_KEYS),
        }
        try:
            values["url_force"] = web_address(
                record.get("url_force"), "url_force", max_length=URL_MAX_LENGTH
            )
        except BadRecord as exc:
            left_out.bad.append(str(exc))
        if record.get("centre") is not None:
            centre = as_dict(record["centre"], "centre")
            values["centre_latitude"], values["centre_longitude"] = latitude_longitude(centre)
        return values

    def _free_slug(self, name: str, code: str) -> str:
        base = (slugify(name) or slugify(code) or "neighbourhood")[:150]
        candidates = [base, f"{base}-{slugify(code)}"]
        taken = set(
            Neighbourhood.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )
        number = 2
        while candidates[-1] in taken:
            candidates.append(f"{base}-{slugify(code)}-{number}")
            number += 1
        return next(slug for slug in candidates if slug not in taken)

    def _boundary(self, code: str, report: PoliceUkReport) -> tuple[dict | None, tuple]:
        """The neighbourhood's boundary from boundary.json or boundary.kml, if either is there."""
        readers: list[tuple[str, Callable[[Path], dict]]] = [
            ("boundary.json", lambda path: boundary_from_points(read_json(path))),
            ("boundary.kml", lambda path: boundary_from_kml(path.read_bytes())),
        ]
        for name, reader in readers:
            path = self.folder / self.slug / code / name
            if not path.is_file():
                continue
            try:
                boundary = reader(path)
                return boundary, checked_boundary(boundary)
            except OSError as exc:
                report.bad("boundaries", f"{self.slug}/{code}/{name}", f"cannot be read: {exc}")
            except BadRecord as exc:
                report.bad("boundaries", f"{self.slug}/{code}/{name}", exc)
            return None, ()
        return None, ()

    def _each_record(self, neighbourhood: Neighbourhood, name: str, kind: str, report, handle):
        """Call `handle(record, position)` for each record of a list file; report the bad ones."""
        where = f"{self.slug}/{neighbourhood.code}/{name}"
        path = self.folder / where
        if not path.is_file():
            return
        try:
            records = as_list(read_json(path))
        except BadRecord as exc:
            report.bad(kind, where, exc)
            return
        for position, record in enumerate(records):
            try:
                handle(as_dict(record), position)
            except BadRecord as exc:
                report.bad(kind, where, exc, position)

    # --- Team -------------------------------------------------------------------------------

    def _people(self, neighbourhood: Neighbourhood, report: PoliceUkReport) -> None:
        self._each_record(
            neighbourhood,
            "people.json",
            "officers",
            report,
            lambda record, position: self._person(neighbourhood, record, position, report),
        )

    def _find_officer(self, name: str, officer_rank: str, neighbourhood_id: int) -> Officer | None:
        candidates = self.officers.get((name, officer_rank), [])
        for team in (self.current_team, self.any_team):
            for officer in candidates:
                if (officer.pk, neighbourhood_id) in team:
                    return officer
        return candidates[0] if candidates else None

    def _person(
        self, neighbourhood: Neighbourhood, record: dict, position: int, report: PoliceUkReport
    ):
        officer_rank = rank(text(record, "rank", required=True))
        name = name_without_rank(text(record, "name", required=True), officer_rank)
        officer = self._find_officer(name, officer_rank, neighbourhood.pk)
        if officer is not None and (
            officer.user_id is not None or officer.pk in self.profiles_done
        ):
            # An officer with an account keeps their own profile; a second listing is the same
            # profile as the first.
            report.count("officers", "unchanged")
        else:
            values, left_out = self._profile_values(record)
            if officer is None:
                officer = Officer(display_name=name, rank=officer_rank)
                report.count("officers", _save(officer, values, created=True))
                self.officers.setdefault((name, officer_rank), []).append(officer)
            else:
                report.count("officers", _save(officer, values, created=False))
            report.left_out(
                "officers", f"{self.slug}/{neighbourhood.code}/people.json", left_out, position
            )
        self.profiles_done.add(officer.pk)

        key = (officer.pk, neighbourhood.pk)
        if key in self.current_team:
            report.count("assignments", "unchanged")
            return
        assignment = Assignment(
            officer=officer,
            neighbourhood=neighbourhood,
            role=ROLE_FOR_RANK.get(officer_rank, Assignment.Role.TEAM_MEMBER),
            start_date=self.today,
        )
        report.count("assignments", _save(assignment, {}, created=True))
        self.current_team.add(key)
        self.any_team.add(key)

    def _profile_values(self, record: dict) -> tuple[dict[str, Any], LeftOut]:
        """Bio, email and phone; a phone the profile form would refuse is left out."""
        contact = contact_details(record)
        left_out = LeftOut()
        values = {
            "bio": text_from_html(text(record, "bio"), between_blocks="\n\n"),
            "email": text(contact, "email"),
        }
        phone = text(contact, "telephone")
        try:
            values["phone"] = phone_number_format(phone)
        except ValidationError:
            left_out.bad.append(
                f"contact_details.telephone {shown(phone)} is not a UK telephone number"
            )
        ignored_contact_details(contact, left_out)
        return values, left_out

    # --- Events -----------------------------------------------------------------------------

    def _events(self, neighbourhood: Neighbourhood, report: PoliceUkReport) -> None:
        existing = {
            (event.title, event.starts_at): event
            for event in Event.objects.filter(neighbourhood=neighbourhood)
        }
        self._each_record(
            neighbourhood,
            "events.json",
            "events",
            report,
            lambda record, _: self._event(neighbourhood, record, existing, report),
        )

    def _event(self, neighbourhood, record: dict, existing: dict, report: PoliceUkReport):
        title = text(record, "title", required=True)
        starts_at = local_datetime(record.get("start_date"), "start_date")
        if record.get("end_date") in (None, ""):
            ends_at = starts_at + datetime.timedelta(hours=1)
        else:
            ends_at = local_datetime(record["end_date"], "end_date")
            if ends_at <= starts_at:
                raise BadRecord(
                    f"end_date {shown(record['end_date'])} is not after "
                    f"start_date {shown(record['start_date'])}"
                )
        event = existing.get((title, starts_at))
        values = {
            "event_type": event_type(text(record, "type"), event.event_type if event else None),
            "description": text_from_html(text(record, "description"), between_blocks="\n\n"),
            "address": text_from_html(text(record, "address"), between_blocks=", "),
            "ends_at": ends_at,
        }
        if event is None:
            event = Event(neighbourhood=neighbourhood, title=title, starts_at=starts_at)
            report.count("events", _save(event, values, created=True))
            existing[(title, starts_at)] = event
        else:
            report.count("events", _save(event, values, created=False))

    # --- Priorities -------------------------------------------------------------------------

    def _priorities(self, neighbourhood: Neighbourhood, report: PoliceUkReport) -> None:
        existing = {
            (priority.issue, priority.issue_date): priority
            for priority in Priority.objects.filter(neighbourhood=neighbourhood).order_by("pk")
        }
        self._each_record(
            neighbourhood,
            "priorities.json",
            "priorities",
            report,
            lambda record, _: self._priority(neighbourhood, record, existing, report),
        )

    def _priority(self, neighbourhood, record: dict, existing: dict, report: PoliceUkReport):
        issue = text_from_html(text(record, "issue", required=True))
        if not issue:
            raise BadRecord("issue has no text")
        issue_date = optional_date(record.get("issue-date"), "issue-date")
        values = {
            "action": text_from_html(text(record, "action")),
            "action_date": optional_date(record.get("action-date"), "action-date"),
        }
        if issue_date is None:
            # Matched by its words alone; a new one is dated the day it is first seen.
            same_issue = [p for (words, _), p in existing.items() if words == issue]
            issue_date = same_issue[0].issue_date if same_issue else self.today
        priority = existing.get((issue, issue_date))
        if priority is None:
            priority = Priority(
                neighbourhood=neighbourhood,
                issue=issue,
                issue_date=issue_date,
                status=Priority.Status.OPEN,
            )
            report.count("priorities", _save(priority, values, created=True))
            existing[(issue, issue_date)] = priority
        else:
            report.count("priorities", _save(priority, values, created=False))
