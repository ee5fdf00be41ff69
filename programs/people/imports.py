"""Bulk import of people from CSV: read, preview, apply.

A file has the columns ``email``, ``name``, ``team`` and ``role`` (agent or manager with a team;
organiser, finance or admin without one). Several lines may name one person, one team or role
each. The preview says, line by line, what will be created, changed, left as it is or refused
and why; applying makes the changes through the people services (each audited, naming the
import) and re-checks every line against the database as it then is, so applying twice, or
applying a file already applied, changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Membership, OrgRole, RoleName, Team, TeamRole, User
from portal.errors import ApplicationError, Conflict, InvalidInput, NotPermitted
from portal.validators import text_problem
from programs.audit import trail
from programs.audit.trail import AuditAction
from programs.people import services as people
from programs.people.access import may_manage_people
from programs.people.models import ImportRun, ImportStatus, LineOutcome

COLUMNS = ("email", "name", "team", "role")
ROLES = (*TeamRole.values, *RoleName.values)
# How many lines are applied between two progress updates.
CHUNK = 50


def _file_error(message: str) -> InvalidInput:
    return InvalidInput(message, field_errors={"file": [message]})


def read_rows(data: bytes) -> list[dict]:
    """The file's lines as dicts of the four columns (with ``line``, the line number), or
    ``InvalidInput`` saying what is wrong with the file as a whole."""
    if len(data) > settings.PEOPLE_IMPORT_MAX_BYTES:
        kib = settings.PEOPLE_IMPORT_MAX_BYTES // 1024
        raise _file_error(f"The file is larger than {kib} KB: split it into smaller files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_error(
            "The file is not UTF-8 text (byte "
            f"{error.start + 1}): save it from your spreadsheet as “CSV UTF-8” and try again."
        ) from error
    if "\x00" in text:
        raise _file_error("The file holds NUL characters: it is not a CSV file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise _file_error(
                "The first line must name the columns email, name, team and role; missing: "
                + ", ".join(missing)
                + "."
            )
        index = {column: header.index(column) for column in COLUMNS}
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= settings.PEOPLE_IMPORT_MAX_ROWS:
                raise _file_error(
                    f"The file has more than {settings.PEOPLE_IMPORT_MAX_ROWS} lines: "
                    "split it into smaller files."
                )
            row = {
                column: (cells[i].strip() if i < len(cells) else "") for column, i in index.items()
            }
            row["line"] = reader.line_num
            rows.append(row)
    except csv.Error as error:
        raise _file_error(f"Line {reader.line_num} cannot be read as CSV: {error}.") from error
    if not rows:
        raise _file_error("The file has no lines after its header.")
    return rows


@dataclass
class _Known:
    """What the database holds about the people and teams a file names, read once."""

    people: dict[str, User]
    teams: dict[str, Team]
    # Planned while walking the file: who will exist, and their team places and roles.
    new_people: set[str] = field(default_factory=set)
    places: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)


def _known(rows: list[dict]) -> _Known:
    emails = {row["email"].lower() for row in rows}
    found = User.objects.filter(email__in=emails).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.all()),
        Prefetch("org_roles", queryset=OrgRole.objects.all()),
    )
    return _Known(
        people={person.email: person for person in found},
        teams={team.name.lower(): team for team in Team.objects.all()},
    )


def plan_line(row: dict, known: _Known, *, actor: User | None, seen: dict) -> dict:
    """One line of the preview: what applying it would do, or why it is refused."""
    line = {key: row[key] for key in ("line", *COLUMNS)}
    refusals = _refusals(row, known, actor=actor, seen=seen)
    if refusals:
        return {**line, "outcome": LineOutcome.REFUSED, "reasons": refusals}
    email, role = row["email"].lower(), row["role"].lower()
    team = known.teams.get(row["team"].lower()) if row["team"] else None
    person = known.people.get(email)
    changes = []
    if person is None and email not in known.new_people:
        known.new_people.add(email)
        outcome = LineOutcome.CREATE
        changes.append("new person")
    else:
        outcome = LineOutcome.CHANGE
        if person is not None and row["name"] and row["name"] != person.name:
            changes.append(f"name: {person.name} → {row['name']}")
    if team is not None:
        current = _current_place(email, person, team, known)
        if current != role:
            was = f" (was {current})" if current else ""
            changes.append(f"{role} in {team.name}{was}")
        known.places[(email, team.pk)] = (role, row["line"])
    elif person is None or role not in {r.role for r in person.org_roles.all()}:
        changes.append(f"role {RoleName(role).label}")
    if not changes:
        outcome = LineOutcome.UNCHANGED
    return {**line, "outcome": outcome, "reasons": changes}


def _current_place(email: str, person: User | None, team: Team, known: _Known) -> str | None:
    if (email, team.pk) in known.places:
        return known.places[(email, team.pk)][0]
    if person is None:
        return None
    for membership in person.memberships.all():
        if membership.team_id == team.pk:
            return membership.role
    return None


def _refusals(row: dict, known: _Known, *, actor: User | None, seen: dict) -> list[str]:  # noqa: C901 — one check per rule, in the order a reader fixes them
    email, name, team_name, role = (
        row["email"].lower(),
        row["name"],
        row["team"],
        row["role"].lower(),
    )
    problems = []
    for column in COLUMNS:
        problem = text_problem(row[column])
        if problem:
            problems.append(f"{column}: {problem}")
    if problems:
        return problems
    try:
        EmailValidator()(email)
    except ValidationError:
        problems.append(f"“{row['email']}” is not an e-mail address")
    if len(name) > User._meta.get_field("name").max_length:
        problems.append("the name is too long")
    if role not in ROLES:
        problems.append(f"unknown role “{row['role']}” (one of {', '.join(ROLES)})")
    elif role in TeamRole.values and not team_name:
        problems.append(f"a {role} needs a team")
    elif role in RoleName.values and team_name:
        problems.append(f"{role} is an organisation role: leave the team empty")
    elif role in RoleName.values:
        try:
            people.check_may_change_role(actor=actor, role=role, grant=True)
        except NotPermitted as error:
            problems.append(error.message)
    if team_name and team_name.lower() not in known.teams:
        problems.append(f"unknown team “{team_name}”")
    key = (email, team_name.lower(), role)
    if key in seen:
        problems.append(f"duplicate of line {seen[key]}")
    person = known.people.get(email)
    if person is None and not name and email not in known.new_people:
        problems.append("a new person needs a name")
    if person is not None and not person.is_active:
        problems.append("this person is deactivated: reactivate them on their page first")
    elif person is not None and not people.may_change_person(actor=actor, person=person):
        problems.append("only an administrator may change this person")
    team = known.teams.get(team_name.lower()) if team_name else None
    if team is not None and (email, team.pk) in known.places:
        other_role, other_line = known.places[(email, team.pk)]
        if other_role != role and key not in seen:
            problems.append(f"line {other_line} already makes them {other_role} in {team.name}")
    if not problems:
        seen[key] = row["line"]
    return problems


def check_may_import(actor: User | None) -> None:
    if actor is not None and not may_manage_people(actor):
        raise NotPermitted("Only administrators and people managers import people.")


def plan(rows: list[dict], *, actor: User | None) -> list[dict]:
    """The preview of every line, reading the database a fixed number of times."""
    known = _known(rows)
    seen: dict = {}
    return [plan_line(row, known, actor=actor, seen=seen) for row in rows]


@transaction.atomic
def preview_import(*, data: bytes, filename: str, actor: User | None) -> ImportRun:
    """Read and check the file, and keep the preview as an import run (nothing else changes)."""
    check_may_import(actor)
    lines = plan(read_rows(data), actor=actor)
    counts = {outcome: 0 for outcome in LineOutcome}
    for line in lines:
        counts[line["outcome"]] += 1
    return ImportRun.objects.create(
        created_by=actor,
        filename=filename[:255],
        lines=lines,
        to_create=counts[LineOutcome.CREATE],
        to_change=counts[LineOutcome.CHANGE],
        unchanged=counts[LineOutcome.UNCHANGED],
        refused=counts[LineOutcome.REFUSED],
    )


@transaction.atomic
def queue_import(*, run: ImportRun, actor: User | None) -> ImportRun:
    """Mark a previewed run to be applied by ``actor`` (the worker then calls
    :func:`apply_import`). A run is applied once: asking again is a conflict."""
    check_may_import(actor)
    locked = ImportRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != ImportStatus.PREVIEWED:
        raise Conflict("This import has already been applied; upload the file again to rerun it.")
    locked.status = ImportStatus.QUEUED
    locked.applied_by = actor
    locked.save(update_fields=["status", "applied_by"])
    return locked


def apply_import(run_id: int) -> ImportRun:
    """Apply a queued run, line by line through the services, noting progress every
    :data:`CHUNK` lines. Each line is its own transaction: a line refused now (someone changed
    the person meanwhile) is noted and the others go on. Idempotent: a run not queued is left
    as it is."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.status != ImportStatus.QUEUED:
            return run
        run.status = ImportStatus.APPLYING
        run.save(update_fields=["status"])
    actor = run.applied_by
    lines, done = run.lines, 0
    for start in range(0, len(lines), CHUNK):
        for line in lines[start : start + CHUNK]:
            if line["outcome"] in (LineOutcome.CREATE, LineOutcome.CHANGE):
                _apply_line(line, run=run, actor=actor)
                done += 1
        ImportRun.objects.filter(pk=run.pk).update(done=done, lines=lines)
    return _finish(run, lines, done)


@transaction.atomic
def _finish(run: ImportRun, lines: list[dict], done: int) -> ImportRun:
    run.lines, run.done = lines, done
    run.status = ImportStatus.APPLIED
    run.applied_at = timezone.now()
    run.save(update_fields=["lines", "done", "status", "applied_at"])
    results = [line.get("result") for line in lines]
    trail.record(
        action=AuditAction.PEOPLE_IMPORTED,
        actor=run.applied_by,
        subject=run,
        data={
            "file": run.filename,
            "created": results.count(LineOutcome.CREATE),
            "changed": results.count(LineOutcome.CHANGE),
            "refused": results.count(LineOutcome.REFUSED),
        },
    )
    return run


def _apply_line(line: dict, *, run: ImportRun, actor: User | None) -> None:
    try:
        line["result"] = _apply_one(line, run=run, actor=actor)
    except ApplicationError as error:
        line["result"] = LineOutcome.REFUSED
        line["problem"] = error.message


@transaction.atomic
def _apply_one(line: dict, *, run: ImportRun, actor: User | None) -> str:
    via = {"import": run.pk, "line": line["line"]}
    email, role = line["email"].lower(), line["role"].lower()
    person = User.objects.filter(email__iexact=email).first()
    result = LineOutcome.UNCHANGED
    if person is None:
        person = people.create_person(email=email, name=line["name"], actor=actor, via=via)
        result = LineOutcome.CREATE
    elif not person.is_active:
        raise Conflict("this person is deactivated")
    elif actor is not None and not people.may_change_person(actor=actor, person=person):
        raise NotPermitted("only an administrator may change this person")
    elif line["name"] and line["name"] != person.name:
        people.update_person(person=person, name=line["name"], actor=actor, via=via)
        result = LineOutcome.CHANGE
    if role in TeamRole.values:
        team = Team.objects.filter(name__iexact=line["team"]).first()
        if team is None:
            raise Conflict("the team no longer exists")
        current = Membership.objects.filter(user=person, team=team).values_list("role", flat=True)
        if list(current) != [role]:
            people.set_membership(user=person, team=team, role=role, actor=actor, via=via)
            result = result if result == LineOutcome.CREATE else LineOutcome.CHANGE
    elif not OrgRole.objects.filter(user=person, role=role).exists():
        people.grant_role(user=person, role=role, actor=actor, via=via)
        result = result if result == LineOutcome.CREATE else LineOutcome.CHANGE
    return result


@transaction.atomic
def release_import(run_id: int, *, problem: str) -> None:
    """Put a queued run that no worker took back to its preview, saying why."""
    ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.PREVIEWED, problem=problem[:500]
    )
