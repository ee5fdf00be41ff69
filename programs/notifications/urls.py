"""The bell and the notifications page."""

from django.urls import path

from programs.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/read/", views.read_all, name="notifications-read"),
    path("notifications/bell/", views.bell, name="notifications-bell"),
    path("notifications/<id:pk>/", views.open_one, name="notification-open"),
]
