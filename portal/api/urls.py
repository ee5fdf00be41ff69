from django.urls import path

from accounts.api import auth, me
from programs.audit import api as audit
from programs.days.api import days, invitations, public_registrations, registrations, shifts
from programs.empowerment.api import (
    allowances,
    approvals,
    budgets,
    delegations,
    gestures,
    programmes,
    reviews,
)
from programs.insights import api as insights
from programs.stories import api as stories

app_name = "api"

urlpatterns = [
    path("auth/token/", auth.ObtainTokenView.as_view(), name="auth-token"),
    path("me/", me.MeView.as_view(), name="me"),
    # Empowerment
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programmes"),
    path("categories/", programmes.CategoryListView.as_view(), name="categories"),
    path("allowance/", allowances.AllowanceView.as_view(), name="allowance"),
    path("budgets/", budgets.BudgetListView.as_view(), name="budgets"),
    path("budget-requests/", budgets.BudgetRequestCreateView.as_view(), name="budget-requests"),
    path("gestures/", gestures.GestureListView.as_view(), name="gestures"),
    path("gestures/<id:pk>/", gestures.GestureDetailView.as_view(), name="gesture"),
    path(
        "gestures/<id:pk>/outcome/", gestures.GestureOutcomeView.as_view(), name="gesture-outcome"
    ),
    path(
        "gestures/<id:pk>/withdraw/",
        gestures.GestureWithdrawView.as_view(),
        name="gesture-withdraw",
    ),
    # Approvals and audit
    path("approvals/", approvals.ApprovalListView.as_view(), name="approvals"),
    path("approvals/<id:pk>/", approvals.ApprovalDetailView.as_view(), name="approval"),
    path("approvals/<id:pk>/approve/", approvals.ApproveView.as_view(), name="approval-approve"),
    path("approvals/<id:pk>/decline/", approvals.DeclineView.as_view(), name="approval-decline"),
    path("delegations/", delegations.DelegationListView.as_view(), name="delegations"),
    path("reviews/", reviews.ReviewListView.as_view(), name="reviews"),
    path("reviews/<id:pk>/complete/", reviews.CompleteReviewView.as_view(), name="review-complete"),
    path("audit/", audit.AuditListView.as_view(), name="audit"),
    path("audit/verify/", audit.AuditVerifyView.as_view(), name="audit-verify"),
    # Insights
    path("insights/outcomes/", insights.OutcomesView.as_view(), name="insights-outcomes"),
    path(
        "insights/unused-empowerment/",
        insights.UnusedEmpowermentView.as_view(),
        name="insights-unused-empowerment",
    ),
    path("insights/spend/", insights.SpendView.as_view(), name="insights-spend"),
    # Stories
    path("stories/", stories.StoryListView.as_view(), name="stories"),
    path("stories/<id:pk>/thanks/", stories.StoryThanksView.as_view(), name="story-thanks"),
    # Appreciation days
    path("appreciation-days/", days.AppreciationDayListView.as_view(), name="days"),
    path("appreciation-days/<id:pk>/", days.AppreciationDayDetailView.as_view(), name="day"),
    path("appreciation-days/<id:pk>/publish/", days.PublishDayView.as_view(), name="day-publish"),
    path("appreciation-days/<id:pk>/cancel/", days.CancelDayView.as_view(), name="day-cancel"),
    path(
        "appreciation-days/<id:pk>/complete/",
        days.CompleteDayView.as_view(),
        name="day-complete",
    ),
    path("appreciation-days/<id:pk>/shifts/", shifts.DayShiftListView.as_view(), name="day-shifts"),
    path(
        "appreciation-days/<id:pk>/invitations/",
        invitations.DayInvitationListView.as_view(),
        name="day-invitations",
    ),
    path(
        "appreciation-days/<id:pk>/registrations/",
        registrations.DayRegistrationListView.as_view(),
        name="day-registrations",
    ),
    path("shifts/mine/", shifts.MyShiftsView.as_view(), name="my-shifts"),
    path("shifts/<id:pk>/signup/", shifts.ShiftSignupView.as_view(), name="shift-signup"),
    path(
        "invitations/<id:pk>/revoke/",
        invitations.RevokeInvitationView.as_view(),
        name="invitation-revoke",
    ),
    path(
        "registrations/<id:pk>/check-in/",
        registrations.CheckInView.as_view(),
        name="registration-check-in",
    ),
    path(
        "public/registrations/",
        public_registrations.PublicRegistrationView.as_view(),
        name="public-registrations",
    ),
    path(
        "public/registrations/resend-link/",
        public_registrations.PublicResendLinkView.as_view(),
        name="public-resend-link",
    ),
    path(
        "public/registrations/<token:manage_token>/",
        public_registrations.PublicRegistrationDetailView.as_view(),
        name="public-registration",
    ),
    path(
        "public/registrations/<token:manage_token>/cancel/",
        public_registrations.PublicRegistrationCancelView.as_view(),
        name="public-registration-cancel",
    ),
]
