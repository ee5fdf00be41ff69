from django.utils import timezone

from programs.notifications.models import Notification
from programs.notifications.selectors import inbox, new_count
from programs.notifications.services import mark_notifications_read
from tests.support.queries import assert_query_count


def _told(person, n: int, **fields) -> Notification:
    return Notification.objects.create(
        key=f"test:{person.pk}:{n}",
        kind="approval_requested",
        recipient=person,
        email=person.email,
        subject_type="approvalrequest",
        subject_id=str(n),
        title=f"Approval needed #{n}",
        **fields,
    )


def test_new_counts_unread_and_unresolved_only_for_that_person_in_one_query(manager, agent):
    _told(manager, 1)
    _told(manager, 2, read_at=timezone.now())
    _told(manager, 3, resolved_at=timezone.now(), resolution="Withdrawn")
    _told(agent, 4)
    with assert_query_count(1):
        assert new_count(manager.pk) == 1


def test_nobody_signed_in_has_nothing_new(db):
    with assert_query_count(0):
        assert new_count(None) == 0


def test_the_inbox_is_the_persons_own_newest_first(manager, agent):
    first, second = _told(manager, 1), _told(manager, 2)
    _told(agent, 3)
    assert list(inbox(manager.pk)) == [second, first]


def test_marking_all_read_still_leaves_resolved_ones_readable(manager):
    _told(manager, 1, resolved_at=timezone.now(), resolution="Withdrawn")
    mark_notifications_read(user=manager)
    assert new_count(manager.pk) == 0
    assert inbox(manager.pk).get().resolution == "Withdrawn"
