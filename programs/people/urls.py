from django.urls import path

from programs.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path(
        "people/invitations/<id:pk>/revoke/",
        views.revoke_invitation,
        name="revoke-invitation",
    ),
    path("people/invitations/<token:token>/", views.accept_invitation, name="accept-invitation"),
    path("people/import/", views.import_upload, name="import"),
    path("people/import/<id:pk>/", views.import_run, name="import-run"),
    path("people/import/<id:pk>/apply/", views.import_apply, name="import-apply"),
    path("people/import/<id:pk>/status/", views.import_status, name="import-status"),
    path("people/provisioning/", views.provisioning_tokens, name="provisioning"),
    path(
        "people/provisioning/<id:pk>/revoke/",
        views.revoke_provisioning_token,
        name="revoke-provisioning-token",
    ),
    path("people/<id:pk>/", views.person_detail, name="person"),
    path("people/<id:pk>/teams/", views.set_team, name="set-team"),
    path("people/<id:pk>/teams/remove/", views.remove_team, name="remove-team"),
    path("people/<id:pk>/roles/", views.set_roles, name="set-roles"),
    path(
        "people/<id:pk>/people-capability/",
        views.set_people_capability,
        name="set-people-capability",
    ),
    path("people/<id:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("people/<id:pk>/reactivate/", views.reactivate, name="reactivate"),
]
