import pytest
from django.urls import reverse

from programs.audit.models import AuditEntry
from programs.empowerment.models import GestureReview, GestureStatus
from programs.empowerment.services.gestures import log_gesture
from tests.factories import gesture_input

REVIEWS_URL = reverse("api:reviews")


def complete_url(pk: int) -> str:
    return reverse("api:review-complete", args=[pk])


@pytest.fixture
def sampled(agent, programme, budget, category) -> GestureReview:
    """An automatically approved £10 gesture, sampled for finance's review."""
    programme.review_sample_percent = 100
    programme.save()
    gesture = log_gesture(agent=agent, **gesture_input()).gesture
    assert gesture.status == GestureStatus.APPROVED
    return GestureReview.objects.get(gesture=gesture)


def test_finance_sees_the_sampled_gestures_to_review(api_client, finance_user, sampled, agent):
    api_client.force_authenticate(finance_user)

    response = api_client.get(REVIEWS_URL)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["id"], row["gesture"], row["agent"], row["status"]) == (
        sampled.pk,
        sampled.gesture_id,
        agent.pk,
        "pending",
    )
    assert (row["cost"], row["currency"]) == ("10.00", "GBP")


def test_finance_marks_a_review_fine_once(api_client, finance_user, sampled):
    api_client.force_authenticate(finance_user)

    response = api_client.post(complete_url(sampled.pk), {}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reviewed_by"]) == (
        "reviewed",
        finance_user.pk,
    )
    assert api_client.get(REVIEWS_URL).json()["results"] == []
    assert [r["id"] for r in api_client.get(REVIEWS_URL, {"status": "all"}).json()["results"]] == [
        sampled.pk
    ]
    assert AuditEntry.objects.filter(action="review.completed").count() == 1
    assert api_client.post(complete_url(sampled.pk), {}, format="json").status_code == 409


def test_a_concern_needs_a_note(api_client, finance_user, sampled):
    api_client.force_authenticate(finance_user)

    response = api_client.post(complete_url(sampled.pk), {"concern": True}, format="json")

    assert response.status_code == 400 and "note" in response.json()
    response = api_client.post(
        complete_url(sampled.pk), {"concern": True, "note": "Third this week"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("concern", "Third this week")


@pytest.mark.parametrize("who", ["agent", "manager", "admin_user", "nobody"])
def test_only_finance_reviews(api_client, request, sampled, who):
    api_client.force_authenticate(request.getfixturevalue(who))

    assert api_client.get(REVIEWS_URL).status_code == 403
    assert api_client.post(complete_url(sampled.pk), {}, format="json").status_code == 403
    sampled.refresh_from_db()
    assert sampled.status == "pending"


def test_reviews_need_credentials_and_unknown_ones_are_404(api_client, finance_user, sampled):
    assert api_client.get(REVIEWS_URL).status_code == 401
    assert api_client.post(complete_url(sampled.pk), {}, format="json").status_code == 401

    api_client.force_authenticate(finance_user)
    assert api_client.post(complete_url(987654), {}, format="json").status_code == 404
    assert api_client.post(complete_url(10**30), {}, format="json").status_code == 404
    assert api_client.get(REVIEWS_URL, {"status": "maybe"}).status_code == 400
