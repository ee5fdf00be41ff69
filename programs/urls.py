from django.urls import path

from programs.views import (
    approvals,
    audit,
    budgets,
    days,
    delegations,
    gestures,
    notifications,
    organise_days,
    registrations,
    reviews,
    teams,
)

app_name = "programs"

urlpatterns = [
    path("gestures/", gestures.mine, name="my-gestures"),
    path("gestures/new/", gestures.log, name="log-gesture"),
    path("gestures/<id:pk>/", gestures.detail, name="gesture-detail"),
    path("gestures/<id:pk>/withdraw/", gestures.withdraw, name="gesture-withdraw"),
    path("gestures/<id:pk>/outcome/", gestures.outcome, name="gesture-outcome"),
    path("teams/", teams.index, name="team-list"),
    path("teams/<id:pk>/", teams.detail, name="team-detail"),
    path("teams/<id:pk>/allowance/", teams.allowance, name="team-allowance"),
    path("teams/<id:pk>/top-up/", teams.topup, name="team-topup"),
    path("budgets/", budgets.budgets, name="budgets"),
    path("approvals/", approvals.inbox, name="approvals"),
    path("approvals/approve-selected/", approvals.approve_selected, name="approve-selected"),
    path("approvals/delegate/", delegations.delegate, name="delegate"),
    path("approvals/delegate/<id:pk>/cancel/", delegations.cancel, name="delegation-cancel"),
    path("approvals/<id:pk>/", approvals.detail, name="approval-detail"),
    path("approvals/<id:pk>/approve/", approvals.approve, name="approval-approve"),
    path("approvals/<id:pk>/decline/", approvals.decline, name="approval-decline"),
    path("reviews/", reviews.queue, name="reviews"),
    path("reviews/<id:pk>/", reviews.detail, name="review-detail"),
    path("reviews/<id:pk>/fine/", reviews.looks_fine, name="review-fine"),
    path("reviews/<id:pk>/concern/", reviews.raise_concern, name="review-concern"),
    path("audit/", audit.trail, name="audit"),
    path("audit/verify/", audit.verify, name="audit-verify"),
    path("audit/export.csv", audit.export, name="audit-export"),
]

# Appreciation days: staff, organisers, and customers with no account.
urlpatterns += [
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
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/read/", notifications.read_all, name="notifications-read"),
    path("notifications/bell/", notifications.bell, name="notifications-bell"),
    path("notifications/<id:pk>/", notifications.open_one, name="notification-open"),
]
