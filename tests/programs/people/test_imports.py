"""CSV import: the preview says what will happen line by line; applying does it through the
services; the same file applied again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership, OrgRole, RoleName, TeamRole, User
from portal.errors import InvalidInput
from programs.audit.models import AuditEntry
from programs.people.imports import apply_import, preview_import, queue_import
from programs.people.models import ImportRun, ImportStatus, LineOutcome
from tests.factories import UserFactory, grant, place
from tests.support.queries import assert_same_query_count, capture_queries

HEADER = "email,name,team,role\n"


def csv_bytes(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def outcomes(run: ImportRun) -> list[str]:
    return [line["outcome"] for line in run.lines]


def applied(data: bytes, actor) -> ImportRun:
    run = preview_import(data=data, filename="people.csv", actor=actor)
    queue_import(run=run, actor=actor)
    return apply_import(run.pk)


@pytest.fixture
def staff_file(team, other_team, agent):
    return csv_bytes(
        "ann@example.test,Ann Lee,Care North,agent",
        "ann@example.test,Ann Lee,Care South,manager",
        "bo@example.test,Bo Chan,,organiser",
        f"{agent.email},{agent.name},Care South,agent",
        "carl@example.test,Carl,Nowhere Team,agent",
        "not-an-address,Dee,Care North,agent",
        "eve@example.test,Eve,,finance",
        "bo@example.test,Bo Chan,,organiser",
        "fay@example.test,Fay,Care North,boss",
    )


def test_the_preview_says_what_each_line_will_do_and_changes_nothing(staff_file, hr):
    people_before = User.objects.count()

    run = preview_import(data=staff_file, filename="people.csv", actor=hr)

    assert outcomes(run) == [
        LineOutcome.CREATE,
        LineOutcome.CHANGE,
        LineOutcome.CREATE,
        LineOutcome.CHANGE,
        LineOutcome.REFUSED,
        LineOutcome.REFUSED,
        LineOutcome.REFUSED,
        LineOutcome.REFUSED,
        LineOutcome.REFUSED,
    ]
    reasons = [" ".join(line["reasons"]) for line in run.lines]
    assert "unknown team “Nowhere Team”" in reasons[4]
    assert "not an e-mail address" in reasons[5]
    assert "Only an administrator may grant or revoke the Finance role." in reasons[6]
    assert "duplicate of line 4" in reasons[7]
    assert "unknown role “boss”" in reasons[8]
    assert (run.to_create, run.to_change, run.refused) == (2, 2, 5)
    assert User.objects.count() == people_before
    assert run.status == ImportStatus.PREVIEWED


def test_applying_creates_and_changes_through_the_services_audited(
    staff_file, hr, agent, other_team
):
    run = applied(staff_file, hr)

    ann = User.objects.get(email="ann@example.test")
    assert dict(Membership.objects.filter(user=ann).values_list("team__name", "role")) == {
        "Care North": TeamRole.AGENT,
        "Care South": TeamRole.MANAGER,
    }
    assert OrgRole.objects.filter(user__email="bo@example.test", role=RoleName.ORGANISER).exists()
    assert Membership.objects.get(user=agent, team=other_team).role == TeamRole.AGENT
    assert not User.objects.filter(email="eve@example.test").exists()
    assert run.status == ImportStatus.APPLIED and run.done == 4
    created = AuditEntry.objects.get(action="person.created", subject_id=str(ann.pk))
    assert created.actor == hr and created.data["import"] == run.pk
    summary = AuditEntry.objects.get(action="people.imported")
    assert summary.data["created"] == 2 and summary.data["changed"] == 2


def test_the_same_file_applied_again_changes_nothing(staff_file, hr):
    applied(staff_file, hr)
    entries_before = AuditEntry.objects.count()

    second = preview_import(data=staff_file, filename="people.csv", actor=hr)

    assert second.to_create == second.to_change == 0
    assert second.unchanged == 4
    queue_import(run=second, actor=hr)
    apply_import(second.pk)
    # Only the import's own summary entry: no person, team or role changed.
    assert AuditEntry.objects.count() == entries_before + 1


def test_a_run_is_applied_once(staff_file, hr):
    run = applied(staff_file, hr)
    with pytest.raises(Exception, match="already been applied"):
        queue_import(run=run, actor=hr)


def test_a_line_refused_on_the_way_leaves_the_others_applied(hr, team):
    run = preview_import(
        data=csv_bytes("gus@example.test,Gus,Care North,agent", "hal@example.test,Hal,,organiser"),
        filename="x.csv",
        actor=hr,
    )
    # Between preview and apply, someone creates Hal as an administrator.
    grant(UserFactory(email="hal@example.test", name="Hal"), RoleName.ADMIN)
    queue_import(run=run, actor=hr)
    run = apply_import(run.pk)

    assert [line["result"] for line in run.lines] == [LineOutcome.CREATE, LineOutcome.REFUSED]
    assert User.objects.filter(email="gus@example.test").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("email,name,team,role\nann@x.test,Ann\xe9,,organiser\n".encode("latin-1"), "not UTF-8"),
        (b"mail,name\nx,y\n", "missing: email, team, role"),
        (b"email,name,team,role\n", "no lines"),
        (b"email,name,team,role\nx\x00,y,,agent\n", "NUL"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_reason(hr, data, message):
    with pytest.raises(InvalidInput) as refused:
        preview_import(data=data, filename="bad.csv", actor=hr)
    assert message in refused.value.field_errors["file"][0]


def test_files_over_the_limits_are_refused(hr, settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 2
    with pytest.raises(InvalidInput, match="more than 2 lines"):
        preview_import(
            data=csv_bytes(*[f"p{n}@example.test,P,,organiser" for n in range(3)]),
            filename="big.csv",
            actor=hr,
        )
    settings.PEOPLE_IMPORT_MAX_BYTES = 10
    with pytest.raises(InvalidInput, match="larger than"):
        preview_import(data=csv_bytes("a@example.test,A,,organiser"), filename="b", actor=hr)


def test_the_preview_reads_the_database_the_same_number_of_times_for_more_lines(hr, team):
    # The first preview also reads who the importer is and what they may do.
    preview_import(data=csv_bytes("z@example.test,Z,Care North,agent"), filename="z", actor=hr)
    with capture_queries() as few:
        preview_import(data=csv_bytes("a@example.test,A,Care North,agent"), filename="a", actor=hr)
    many_lines = [f"p{n}@example.test,P {n},Care North,agent" for n in range(40)]
    with capture_queries() as many:
        preview_import(data=csv_bytes(*many_lines), filename="b", actor=hr)
    assert_same_query_count(few, many)


def test_upload_preview_and_apply_through_the_pages(
    client, hr, team, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    upload = SimpleUploadedFile(
        "staff.csv", csv_bytes("ivy@example.test,Ivy,Care North,agent"), "text/csv"
    )

    response = client.post(reverse("people:import"), {"file": upload})

    run = ImportRun.objects.get()
    assert response["Location"] == reverse("people:import-run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "ivy@example.test" in page and "Apply" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import-apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert User.objects.filter(email="ivy@example.test").exists()
    status = client.get(
        reverse("people:import-status", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert status["HX-Refresh"] == "true"


def test_a_bad_upload_shows_the_reason_beside_the_field(client, hr):
    client.force_login(hr)
    upload = SimpleUploadedFile("staff.csv", b"\xff\xfe\x00garbage", "text/csv")

    response = client.post(reverse("people:import"), {"file": upload})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_the_status_fragment_polls_while_the_worker_applies(client, hr, team):
    run = preview_import(
        data=csv_bytes("j@example.test,J,Care North,agent"), filename="a", actor=hr
    )
    queue_import(run=run, actor=hr)
    client.force_login(hr)

    fragment = client.get(reverse("people:import-status", args=[run.pk]))

    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert "HX-Refresh" not in fragment


def test_the_command_previews_and_applies(tmp_path, team, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes("kim@example.test,Kim,Care North,manager"))

    call_command("import_people", str(path))
    assert not User.objects.filter(email="kim@example.test").exists()
    call_command("import_people", str(path), "--apply")
    call_command("import_people", str(path), "--apply")

    out = capsys.readouterr().out
    assert "1 to create" in out and "0 to create, 0 to change, 1 unchanged" in out
    kim = User.objects.get(email="kim@example.test")
    assert Membership.objects.get(user=kim).role == TeamRole.MANAGER


def test_the_command_names_a_file_it_cannot_read(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_people", str(tmp_path / "missing.csv"))


def test_someone_already_placed_differently_is_changed(hr, team):
    kay = place(UserFactory(email="kay@example.test"), team, TeamRole.AGENT)

    run = preview_import(
        data=csv_bytes(f"{kay.email},{kay.name},Care North,manager"), filename="a", actor=hr
    )

    assert run.lines[0]["outcome"] == LineOutcome.CHANGE
    assert run.lines[0]["reasons"] == ["manager in Care North (was agent)"]
