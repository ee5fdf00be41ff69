import pytest

from programs.models import AuditEntry


@pytest.fixture
def entry(db):
    return AuditEntry.objects.create(action="test.action", subject_type="thing", subject_id="1")


def test_an_entry_cannot_be_changed(entry):
    entry.action = "something.else"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_shows_entries_read_only(client, admin_user, entry):
    client.force_login(admin_user)
    url = f"/admin/programs/auditentry/{entry.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="action"' not in response.content
    assert client.post(f"/admin/programs/auditentry/{entry.pk}/delete/").status_code == 403
