"""/scim/v2/: django-scim2's routes, with the people and team views of this context. The
namespace is ``scim``, as django-scim2's adapters and auth check expect."""

from django.urls import re_path
from django_scim import urls as scim_urls

from programs.people.scim import views

app_name = "scim"

_OURS = {"users": views.UsersView.as_view(), "groups": views.GroupsView.as_view()}

urlpatterns = [
    re_path(pattern.pattern.regex.pattern, _OURS[pattern.name], name=pattern.name)
    if pattern.name in _OURS
    else pattern
    for pattern in scim_urls.urlpatterns
]
