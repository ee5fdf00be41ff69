from django.urls import path

from programs.stories import views

app_name = "stories"

urlpatterns = [
    path("stories/", views.wall_page, name="wall"),
    path("stories/hidden/", views.hidden, name="hidden"),
    path("stories/<id:pk>/", views.story_page, name="story"),
    path("stories/<id:pk>/thanks/", views.thank, name="thank"),
    path("stories/<id:pk>/hide/", views.hide, name="hide"),
    path("stories/<id:pk>/show/", views.show, name="show"),
]
