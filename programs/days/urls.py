"""Appreciation days: staff, organisers, and customers with no account."""

from django.urls import path

from programs.days.views import days, organise_days, registrations

app_name = "days"

urlpatterns = [
    path("days/", days.index, name="days"),
    path("days/my-shifts/", days.mine, name="my-shifts"),
    path("days/<id:pk>/", days.detail, name="day-detail"),
    path("shifts/<id:pk>/sign-up/", days.sign_up, name="shift-signup"),
    path("shifts/<id:pk>/leave/", days.leave, name="shift-leave"),
    path("shifts/<id:pk>/shift.ics", days.shift_ics, name="shift-ics"),
    path("days/organise/", organise_days.index, name="organise-days"),
    path("days/organise/new/", organise_days.new, name="day-new"),
    path("days/organise/<id:pk>/", organise_days.manage, name="day-manage"),
    path("days/organise/<id:pk>/edit/", organise_days.edit, name="day-edit"),
    path("days/organise/<id:pk>/publish/", organise_days.publish, name="day-publish"),
    path("days/organise/<id:pk>/complete/", organise_days.complete, name="day-complete"),
    path("days/organise/<id:pk>/cancel/", organise_days.cancel, name="day-cancel"),
    path("days/organise/<id:pk>/shifts/", organise_days.add_shift, name="day-shift-add"),
    path(
        "days/organise/<id:pk>/invitations/",
        organise_days.add_invitation,
        name="day-invitation-add",
    ),
    path(
        "days/organise/<id:pk>/organisers/", organise_days.add_organiser, name="day-organiser-add"
    ),
    path(
        "days/organise/<id:pk>/registrations/",
        organise_days.registrations,
        name="day-registrations",
    ),
    path("days/organise/<id:pk>/attendees.csv", organise_days.export, name="day-export"),
    path("days/organise/<id:pk>/door/", organise_days.door, name="day-door"),
    path(
        "days/organise/invitations/<id:pk>/revoke/",
        organise_days.revoke_invitation,
        name="invitation-revoke",
    ),
    path(
        "days/organise/registrations/<id:pk>/check-in/",
        organise_days.check_in,
        name="registration-check-in",
    ),
    path("invite/<token:token>/", registrations.register_page, name="public-register"),
    path(
        "invite/<token:token>/resend-link/",
        registrations.resend_link_page,
        name="public-resend-link",
    ),
    path("r/<token:token>/", registrations.manage_page, name="registration-manage"),
    path("r/<token:token>/cancel/", registrations.cancel_page, name="registration-cancel"),
    path("r/<token:token>/day.ics", registrations.calendar_file, name="registration-ics"),
    path("r/<token:token>/check-in-code.svg", registrations.qr_code, name="registration-qr"),
]
