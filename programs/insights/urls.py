from django.urls import path

from programs.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/exports/", views.exports, name="exports"),
    path("insights/exports/<slug:kind>.csv", views.export, name="export"),
    path("insights/<slug:table>.csv", views.download, name="download"),
]
