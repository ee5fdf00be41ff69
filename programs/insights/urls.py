from django.urls import path

from programs.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/outcomes.csv", views.outcomes_csv, name="outcomes-csv"),
    path("insights/unused-empowerment.csv", views.unused_csv, name="unused-csv"),
]
