import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.csv import csv_lines, safe_cell
from programs.audit import trail
from programs.audit.checkpoints import checkpoint_audit
from programs.audit.models import AuditEntry
from programs.audit.trail import AuditAction
from programs.empowerment.models import ApprovalRequest
from programs.empowerment.services.approvals import decide_approval
from tests.factories import UserFactory
from tests.support.queries import assert_same_query_count, page_queries
from tests.support.tampering import tamper

TRAIL = reverse("audit:audit")
VERIFY = reverse("audit:audit-verify")
EXPORT = reverse("audit:audit-export")


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr")[1:]]


def csv_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


@pytest.fixture
def approved(agent, manager, logged):
    """A £60 gesture the manager approved: gesture.logged, then approval.approved."""
    gesture = logged(agent, cost="60.00", customer_ref="TCK-60")
    step = ApprovalRequest.objects.get(gesture=gesture)
    decide_approval(request=step, actor=manager, approve=True, comment="Lovely")
    return gesture


# Who may read the trail.


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("agent", 403),
        ("manager", 403),
        ("other_manager", 403),
        ("organiser", 403),
        ("nobody", 403),
        ("finance_user", 200),
        ("admin_user", 200),
    ],
)
def test_only_finance_and_admins_read_verify_and_export_the_trail(
    client, request, programme, person, status
):
    client.force_login(request.getfixturevalue(person))

    assert client.get(TRAIL).status_code == status
    assert client.get(EXPORT).status_code == status
    assert client.post(VERIFY).status_code == status


def test_verifying_needs_a_post(client, finance_user):
    client.force_login(finance_user)

    assert client.get(VERIFY).status_code == 405


# What the page shows.


def test_each_entry_shows_seq_time_actor_action_subject_data_and_hashes(
    client, finance_user, approved, manager
):
    entry = AuditEntry.objects.get(action="approval.approved")
    client.force_login(finance_user)

    html = client.get(TRAIL).content.decode()

    row = html.split(f'<tr id="entry-{entry.seq}">')[1].split("</tr>")[0]
    assert f"#{entry.seq}" in row
    assert f'<span title="{manager.email}">Maya Manager</span>' in row
    assert "<code>approval.approved</code>" in row
    assert f"approvalrequest:{entry.subject_id}" in row
    assert "&quot;comment&quot;: &quot;Lovely&quot;" in row
    assert f"<code>{entry.hash[:12]}…</code>" in row
    assert f"<code>{entry.hash}</code>" in row and f"<code>{entry.prev_hash}</code>" in row


def test_the_newest_entry_comes_first(client, finance_user, approved):
    client.force_login(finance_user)

    html = client.get(TRAIL).content.decode()

    seqs = list(AuditEntry.objects.order_by("-seq").values_list("seq", flat=True))
    positions = [html.index(f'<tr id="entry-{seq}">') for seq in seqs]
    assert positions == sorted(positions)


@pytest.fixture
def approved_on_behalf(manager):
    """An approval Dev Deputy recorded on behalf of the manager."""
    return trail.record(
        action=AuditAction.APPROVAL_APPROVED,
        actor=UserFactory(name="Dev Deputy"),
        on_behalf_of=manager,
        subject=manager,
        data={},
    )


def test_a_delegates_entry_says_on_whose_behalf(client, finance_user, manager, approved_on_behalf):
    client.force_login(finance_user)

    html = client.get(TRAIL).content.decode()

    assert 'Dev Deputy</span><br><span class="muted">on behalf of' in html
    assert f'<span title="{manager.email}">Maya Manager</span>' in html


def test_data_typed_by_people_is_escaped(client, finance_user, agent, manager, logged):
    gesture = logged(agent, cost="60.00")
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture),
        actor=manager,
        approve=False,
        comment="<script>alert(1)</script>",
    )
    client.force_login(finance_user)

    html = client.get(TRAIL).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_trail_is_paginated_by_fifty(client, finance_user, manager):
    for n in range(55):
        trail.record(
            action=AuditAction.ALLOWANCE_SET, actor=manager, subject=manager, data={"n": n}
        )
    client.force_login(finance_user)

    first = client.get(TRAIL).content.decode()

    assert len(rows_of(first)) == 50
    assert "Page 1 of 2" in first
    assert len(rows_of(client.get(TRAIL, {"page": 2}).content.decode())) == (
        AuditEntry.objects.count() - 50
    )


def test_the_trail_query_count_does_not_grow_with_its_entries(client, finance_user, programme):
    people = [UserFactory() for _ in range(5)]
    for person in people:
        trail.record(action=AuditAction.ALLOWANCE_SET, actor=person, subject=person, data={})
    client.force_login(finance_user)
    page_queries(client, TRAIL)
    few = page_queries(client, TRAIL)

    for n in range(60):
        person = UserFactory()
        trail.record(
            action=AuditAction.APPROVAL_APPROVED,
            actor=person,
            on_behalf_of=people[n % 5],
            subject=person,
            data={"n": n},
        )
    many = page_queries(client, TRAIL)

    assert_same_query_count(few, many)


# Filters.


def test_a_gestures_subject_shows_its_logging_and_its_approval(
    client, finance_user, approved, agent, logged
):
    other = logged(agent, cost="5.00", customer_ref="TCK-OTHER")
    client.force_login(finance_user)

    html = client.get(TRAIL, {"subject": f"Gesture:{approved.pk}"}).content.decode()

    actions = [row.split("<code>", 2)[1].split("</code>")[0] for row in rows_of(html)]
    assert actions == ["approval.approved", "gesture.logged"]
    assert f"gesture:{other.pk}" not in html
    assert f'<a href="{TRAIL}">Clear</a>' in html


@pytest.mark.parametrize("subject", ["gesture:999999999999999999", "budgetrequest:0", "approval:0"])
def test_a_subject_with_no_entries_shows_none(client, finance_user, approved, subject):
    client.force_login(finance_user)

    html = client.get(TRAIL, {"subject": subject}).content.decode()

    assert "No entries match these filters." in html


def test_the_action_filter(client, finance_user, approved):
    client.force_login(finance_user)

    html = client.get(TRAIL, {"action": "approval.approved"}).content.decode()

    assert len(rows_of(html)) == 1
    assert '<option value="approval.approved" selected>' in html


def test_the_actor_filter_finds_what_they_did_and_what_was_done_for_them(
    client, finance_user, approved, manager, approved_on_behalf
):
    client.force_login(finance_user)

    html = client.get(TRAIL, {"actor": manager.email.upper()}).content.decode()

    rows = rows_of(html)
    assert len(rows) == 2
    assert all("Maya Manager" in row for row in rows)


def test_the_date_filter(client, finance_user, approved):
    today = timezone.localdate()
    client.force_login(finance_user)

    todays = client.get(TRAIL, {"since": today.isoformat(), "until": today.isoformat()})
    tomorrows = client.get(TRAIL, {"since": (today + timedelta(days=1)).isoformat()})
    yesterdays = client.get(TRAIL, {"until": (today - timedelta(days=1)).isoformat()})

    assert len(rows_of(todays.content.decode())) == AuditEntry.objects.count()
    assert "No entries match these filters." in tomorrows.content.decode()
    assert "No entries match these filters." in yesterdays.content.decode()


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"subject": "gesture"}, "Give a type and a number, such as gesture:12."),
        ({"subject": "gesture:abc"}, "Give a type and a number, such as gesture:12."),
        ({"action": "gesture.deleted"}, "Select a valid choice."),
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "The end date cannot be before"),
        ({"since": "0001-01-01"}, "Enter a date between 2000 and 2100."),
        ({"until": "9999-12-31"}, "Enter a date between 2000 and 2100."),
        ({"subject": "gesture:" + "9" * 19}, "Give a type and a number, such as gesture:12."),
    ],
)
def test_a_bad_filter_is_shown_beside_its_field_and_not_applied(
    client, finance_user, approved, query, error
):
    client.force_login(finance_user)

    response = client.get(TRAIL, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'aria-invalid="true"' in html
    assert len(rows_of(html)) >= 1
    assert "Download CSV" not in html


# Verifying the chain.


def test_verify_with_htmx_answers_with_the_result_box(client, finance_user, approved):
    client.force_login(finance_user)

    response = client.post(VERIFY, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card chain-check chain-check--ok"')
    assert f"All {AuditEntry.objects.count()} entries match their hashes" in html
    assert "<html" not in html


def test_verify_without_javascript_shows_the_page_with_the_result(client, finance_user, approved):
    client.force_login(finance_user)

    html = client.post(VERIFY + "?action=gesture.logged").content.decode()

    assert "<strong>Intact.</strong>" in html
    assert len(rows_of(html)) == 1  # the filters came along
    assert f'action="{VERIFY}?action=gesture.logged"' in html


def test_the_trail_does_not_verify_on_every_load(client, finance_user, approved, monkeypatch):
    monkeypatch.setattr(
        "programs.audit.views.verify_chain", lambda: pytest.fail("verified on a GET")
    )
    client.force_login(finance_user)

    html = client.get(TRAIL).content.decode()

    assert "Verify the chain" in html and "Intact" not in html


def test_a_tampered_entry_is_named(client, finance_user, approved):
    entry = AuditEntry.objects.get(action="gesture.logged")
    tamper(
        "UPDATE programs_auditentry SET data = %s WHERE seq = %s", ['{"cost": "6.00"}', entry.seq]
    )
    client.force_login(finance_user)

    html = client.post(VERIFY, headers={"HX-Request": "true"}).content.decode()

    assert "chain-check--broken" in html
    assert f"Broken at entry #{entry.seq}:</strong> its content does not match its hash." in html


def test_entries_cut_from_the_end_after_a_checkpoint_are_named(client, finance_user, approved):
    checkpoint_audit()
    decision = AuditEntry.objects.get(action="approval.approved")
    tamper("DELETE FROM programs_auditentry WHERE seq >= %s", [decision.seq])
    client.force_login(finance_user)

    html = client.post(VERIFY, headers={"HX-Request": "true"}).content.decode()

    assert "chain-check--broken" in html
    assert (
        f"Broken at entry #{decision.seq}:</strong> entries after #{decision.seq - 1} are missing"
        in html
    )


def test_an_intact_trail_names_its_newest_checkpoint(client, finance_user, approved):
    client.force_login(finance_user)
    html = client.post(VERIFY, headers={"HX-Request": "true"}).content.decode()
    assert "No checkpoint has been taken yet" in html

    checkpoint_audit()
    html = client.post(VERIFY, headers={"HX-Request": "true"}).content.decode()

    head = AuditEntry.objects.order_by("-seq").first()
    assert "chain-check--ok" in html
    assert f"the newest at entry #{head.seq}." in html


def test_a_forged_checkpoint_is_shown_as_the_problem(client, finance_user, approved, settings):
    settings.AUDIT_CHECKPOINT_FILE.write_text('{"seq": 99, "hash": "forged"}\n')
    client.force_login(finance_user)

    html = client.post(VERIFY, headers={"HX-Request": "true"}).content.decode()

    assert "chain-check--broken" in html
    assert "<strong>Broken:</strong> line 1 of the checkpoint file" in html
    assert "Broken at entry" not in html


@pytest.fixture
def written_before_keying(db):
    """The trail's first entry, as the unkeyed chain wrote it."""
    first = AuditEntry(
        seq=1,
        at=timezone.now() - timedelta(days=400),
        action="budget.changed",
        subject_type="team",
        subject_id="1",
        data={},
        prev_hash="0" * 64,
        key_id="",
    )
    first.hash = first.compute_hash()
    first.save()
    return first


def test_entries_from_before_keying_are_shown_as_unkeyed(
    client, written_before_keying, finance_user
):
    assert AuditEntry.objects.filter(key_id="").count() == 1
    assert AuditEntry.objects.exclude(key_id="").exists(), "keyed entries follow it"
    client.force_login(finance_user)

    html = client.post(VERIFY, headers={"HX-Request": "true"}).content.decode()

    assert "chain-check--ok" in html
    assert "The first 1 entry was written before the trail was signed with a key" in html


# The CSV export.


def test_the_export_streams_every_entry_oldest_first_with_its_hashes(
    client, finance_user, approved, manager
):
    client.force_login(finance_user)

    response = client.get(EXPORT)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    rows = csv_of(response)
    assert rows[0] == [
        "seq",
        "at",
        "actor",
        "actor_name",
        "on_behalf_of",
        "action",
        "subject",
        "data",
        "prev_hash",
        "hash",
    ]
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [int(row[0]) for row in rows[1:]] == [entry.seq for entry in entries]
    last = rows[-1]
    assert last[2:4] == [manager.email, "Maya Manager"]
    assert last[5] == "approval.approved"
    assert (last[8], last[9]) == (entries[-1].prev_hash, entries[-1].hash)


def test_the_export_takes_the_pages_filters(client, finance_user, approved):
    client.force_login(finance_user)

    rows = csv_of(client.get(EXPORT, {"subject": f"gesture:{approved.pk}"}))

    assert [row[5] for row in rows[1:]] == ["gesture.logged", "approval.approved"]
    html = client.get(TRAIL, {"subject": f"gesture:{approved.pk}"}).content.decode()
    assert f'href="{EXPORT}?subject=gesture%3A{approved.pk}"' in html


def test_an_export_with_a_bad_filter_goes_back_to_the_page_to_show_it(client, finance_user):
    client.force_login(finance_user)

    response = client.get(EXPORT, {"subject": "nonsense"})

    assert response.status_code == 302
    assert response.url == f"{TRAIL}?subject=nonsense"


def test_the_export_neutralises_cells_a_spreadsheet_would_run(
    client, finance_user, agent, manager, logged
):
    gesture = logged(
        agent,
        cost="60.00",
        customer_ref="=cmd|' /C calc'!A0",
        situation='=HYPERLINK("http://evil.example")',
    )
    attacker = UserFactory(name="=cmd|' /C calc'!A0", email="-2+3@example.test")
    trail.record(
        action=AuditAction.ALLOWANCE_SET,
        actor=attacker,
        on_behalf_of=attacker,
        subject=gesture,
        data={"reason": "@SUM(1+1)"},
    )
    decide_approval(
        request=ApprovalRequest.objects.get(gesture=gesture),
        actor=manager,
        approve=False,
        comment="+1 call me",
    )
    client.force_login(finance_user)

    rows = csv_of(client.get(EXPORT))

    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@"}]
    attackers = next(row for row in rows if row[3].endswith("A0"))
    assert attackers[2:5] == ["'-2+3@example.test", "'=cmd|' /C calc'!A0", "'-2+3@example.test"]
    # Text inside the data keeps what was typed; the cell starts with "{", which is safe.
    declined = next(row for row in rows if row[5] == "approval.declined")
    assert '"comment": "+1 call me"' in declined[7]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_csv_lines_start_with_a_byte_order_mark_and_make_every_cell_safe():
    lines = list(csv_lines(["=head"], [["=a", "b"], [None, "@c"]]))

    assert lines == ["\ufeff", "'=head\r\n", "'=a,b\r\n", ",'@c\r\n"]


@pytest.mark.parametrize(
    ("person", "shown"),
    [("finance_user", True), ("admin_user", True), ("manager", False), ("agent", False)],
)
def test_the_navigation_leads_finance_and_admins_to_the_trail(client, request, person, shown):
    client.force_login(request.getfixturevalue(person))

    nav = client.get(reverse("home")).content.decode().split('<nav class="site-nav"')[1]

    assert (f'<a href="{TRAIL}">Audit</a>' in nav.split("</nav>")[0]) is shown
