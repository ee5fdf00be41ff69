import pytest
from django.urls import reverse

from accounts.models import RoleName
from programs.empowerment.models import GestureReview
from programs.empowerment.services.reviews import complete_review
from tests.factories import UserFactory, grant
from tests.support.queries import assert_same_query_count, page_queries

QUEUE = reverse("empowerment:reviews")
DONE = QUEUE + "?show=done"
HTMX = {"HX-Request": "true"}


def fine_url(review) -> str:
    return reverse("empowerment:review-fine", args=[review.pk])


def concern_url(review) -> str:
    return reverse("empowerment:review-concern", args=[review.pk])


def card_of(html: str, review) -> str:
    return html.split(f'id="review-{review.pk}"', 1)[1].split("</article>", 1)[0]


@pytest.fixture
def sampled(programme, agent, logged, copies):
    """Every automatically approved paid gesture goes to finance's queue."""
    programme.review_sample_percent = 100
    programme.save()

    def make(count: int = 1) -> list[GestureReview]:
        first = logged(agent, cost="12.00", customer_ref="TCK-R")
        reviews = [first.review]
        for gesture in copies(first, count - 1):
            reviews.append(GestureReview.objects.create(gesture=gesture))
        return reviews

    return make


@pytest.fixture
def review(sampled):
    return sampled()[0]


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("agent", 403),
        ("manager", 403),
        ("organiser", 403),
        ("admin_user", 403),
        ("nobody", 403),
        ("finance_user", 200),
    ],
)
def test_only_finance_reviews(client, request, review, person, status):
    client.force_login(request.getfixturevalue(person))

    assert client.get(QUEUE).status_code == status
    assert client.get(DONE).status_code == status
    assert client.get(reverse("empowerment:review-detail", args=[review.pk])).status_code == status
    expected_post = 302 if status == 200 else status
    assert client.post(concern_url(review), {"note": "Odd"}).status_code == expected_post


def test_finance_sees_the_story_and_cost_of_each_sampled_gesture(client, finance_user, review):
    client.force_login(finance_user)

    card = card_of(client.get(QUEUE).content.decode(), review)

    assert "Gift for TCK-R" in card
    assert "Aisha Agent · Care North" in card and "approved automatically" in card
    assert "£12.00" in card
    assert "arrived broken" in card
    assert ">Looks fine</button>" in card and ">Raise the concern</button>" in card


def test_the_queue_is_oldest_first_paginated_and_its_queries_do_not_grow(
    client, finance_user, sampled
):
    reviews = sampled(4)
    client.force_login(finance_user)
    page_queries(client, QUEUE)
    few = page_queries(client, QUEUE)

    reviews += sampled(46)
    many = page_queries(client, QUEUE)

    assert_same_query_count(few, many)
    html = client.get(QUEUE).content.decode()
    assert html.index(f'id="review-{reviews[0].pk}"') < html.index(f'id="review-{reviews[1].pk}"')
    assert html.count('class="card approval review"') == 25
    assert 'id="reviews-to-do-count">50</span>' in html


def test_looks_fine_without_javascript(client, finance_user, review):
    client.force_login(finance_user)

    response = client.post(fine_url(review), {"next": QUEUE}, follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Marked as fine: Aisha Agent’s gift for TCK-R." in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.reviewed_by) == ("reviewed", finance_user)


def test_looks_fine_with_htmx_swaps_the_card(client, finance_user, review):
    client.force_login(finance_user)

    response = client.post(fine_url(review), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<article class="card approval approval--done" id="review-{review.pk}"'
    )
    assert "Reviewed, fine" in html
    assert 'id="nav-count-reviews" hidden hx-swap-oob="true">0' in html


def test_a_concern_needs_a_note_shown_beside_the_field(client, finance_user, review):
    client.force_login(finance_user)

    response = client.post(concern_url(review), {"note": "  "})

    card = card_of(response.content.decode(), review)
    assert "Say what concerns you, so it can be followed up." in card
    assert '<details class="decision__decline" open>' in card
    review.refresh_from_db()
    assert review.status == "pending"


def test_a_concern_with_htmx_keeps_what_was_typed_when_refused(client, finance_user, review):
    client.force_login(finance_user)
    typed = "x" * 2001

    response = client.post(concern_url(review), {"note": typed}, headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<article class="card approval review" id="review-{review.pk}"'
    )
    assert "at most 2000 characters" in html and typed in html


def test_finance_raises_a_concern(client, finance_user, review):
    client.force_login(finance_user)

    response = client.post(
        concern_url(review), {"note": "Third <b>gift</b> this week."}, follow=True
    )

    assert "Concern raised about Aisha Agent’s gift for TCK-R." in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.note) == ("concern", "Third <b>gift</b> this week.")
    done = client.get(DONE).content.decode()
    assert "Concern raised" in done and "Third &lt;b&gt;gift&lt;/b&gt; this week." in done


def test_a_review_already_done_shows_the_conflict_on_its_card(client, finance_user, review):
    colleague = grant(UserFactory(name="Fay Finance"), RoleName.FINANCE)
    complete_review(review=review, actor=colleague, concern=False)
    client.force_login(finance_user)

    response = client.post(fine_url(review), headers=HTMX)

    html = response.content.decode()
    assert "This gesture has already been reviewed." in html
    assert ">Looks fine</button>" not in html
    assert "Reviewed, fine" in html and "by Fay Finance" in html
    assert client.post(fine_url(review)).status_code == 409


def test_a_review_that_does_not_exist_is_404(client, finance_user, programme):
    client.force_login(finance_user)

    assert client.post(reverse("empowerment:review-fine", args=[424242])).status_code == 404


def test_the_navigation_counts_reviews_waiting_for_finance(client, finance_user, sampled):
    sampled(3)
    client.force_login(finance_user)

    nav = client.get(reverse("home")).content.decode().split('<nav class="site-nav"')[1]

    assert f'<a href="{QUEUE}">Reviews <span class="nav-count" id="nav-count-reviews">3' in nav
