"""The empowerment pages: gestures, teams and their budgets, approvals, delegations, reviews."""

from django.urls import path

from programs.empowerment.views import approvals, budgets, delegations, gestures, reviews, teams

app_name = "empowerment"

urlpatterns = [
    path("gestures/", gestures.mine, name="my-gestures"),
    path("gestures/new/", gestures.log, name="log-gesture"),
    path("gestures/<id:pk>/", gestures.detail, name="gesture-detail"),
    path("gestures/<id:pk>/withdraw/", gestures.withdraw, name="gesture-withdraw"),
    path("gestures/<id:pk>/outcome/", gestures.outcome, name="gesture-outcome"),
    path("teams/", teams.index, name="team-list"),
    path("teams/<id:pk>/", teams.detail, name="team-detail"),
    path("teams/<id:pk>/allowance/", teams.allowance, name="team-allowance"),
    path("teams/<id:pk>/top-up/", teams.topup, name="team-topup"),
    path("budgets/", budgets.budgets, name="budgets"),
    path("approvals/", approvals.inbox, name="approvals"),
    path("approvals/approve-selected/", approvals.approve_selected, name="approve-selected"),
    path("approvals/delegate/", delegations.delegate, name="delegate"),
    path("approvals/delegate/<id:pk>/cancel/", delegations.cancel, name="delegation-cancel"),
    path("approvals/<id:pk>/", approvals.detail, name="approval-detail"),
    path("approvals/<id:pk>/approve/", approvals.approve, name="approval-approve"),
    path("approvals/<id:pk>/decline/", approvals.decline, name="approval-decline"),
    path("reviews/", reviews.queue, name="reviews"),
    path("reviews/<id:pk>/", reviews.detail, name="review-detail"),
    path("reviews/<id:pk>/fine/", reviews.looks_fine, name="review-fine"),
    path("reviews/<id:pk>/concern/", reviews.raise_concern, name="review-concern"),
]
