"""The audit trail's pages."""

from django.urls import path

from programs.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.trail, name="audit"),
    path("audit/verify/", views.verify, name="audit-verify"),
    path("audit/export.csv", views.export, name="audit-export"),
]
