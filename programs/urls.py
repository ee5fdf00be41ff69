from django.urls import path

from programs.views import budgets, gestures, teams

app_name = "programs"

urlpatterns = [
    path("gestures/", gestures.mine, name="my-gestures"),
    path("gestures/new/", gestures.log, name="log-gesture"),
    path("gestures/<int:pk>/", gestures.detail, name="gesture-detail"),
    path("gestures/<int:pk>/withdraw/", gestures.withdraw, name="gesture-withdraw"),
    path("gestures/<int:pk>/outcome/", gestures.outcome, name="gesture-outcome"),
    path("teams/", teams.index, name="team-list"),
    path("teams/<int:pk>/", teams.detail, name="team-detail"),
    path("teams/<int:pk>/allowance/", teams.allowance, name="team-allowance"),
    path("teams/<int:pk>/top-up/", teams.topup, name="team-topup"),
    path("budgets/", budgets.budgets, name="budgets"),
]
