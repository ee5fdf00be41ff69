from django.urls import path

from accounts.api import auth, me
from programs.api import allowances, budgets, gestures, programmes

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
    path("gestures/<int:pk>/", gestures.GestureDetailView.as_view(), name="gesture"),
    path(
        "gestures/<int:pk>/outcome/", gestures.GestureOutcomeView.as_view(), name="gesture-outcome"
    ),
    path(
        "gestures/<int:pk>/withdraw/",
        gestures.GestureWithdrawView.as_view(),
        name="gesture-withdraw",
    ),
]
