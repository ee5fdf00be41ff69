from django.urls import path

from programs.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/<slug:table>.csv", views.download, name="download"),
]
