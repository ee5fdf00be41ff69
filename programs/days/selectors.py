"""Which appreciation days, shifts and registrations a person may see, and the lists of them."""

from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.permissions import Access, access_for
from portal.validators import is_token
from programs.days.models import (
    AppreciationDay,
    DayStatus,
    Invitation,
    Registration,
    RegistrationStatus,
    Shift,
    ShiftSignup,
)


def organises(user, day: AppreciationDay) -> bool:
    """Whether the person organises this day: one of its organisers, or an administrator."""
    access = access_for(user)
    if access.is_admin:
        return True
    return access.is_organiser and day.organisers.filter(pk=access.user_id).exists()


def visible_days(access: Access) -> QuerySet[AppreciationDay]:
    """Everyone sees published, completed and cancelled days; organisers see drafts too."""
    days = AppreciationDay.objects.with_waitlist_count()
    if access.user_id is None:
        return days.none()
    if not access.can_organise_days:
        days = days.exclude(status=DayStatus.DRAFT)
    return days


def day_for(user, day_id: int) -> AppreciationDay:
    """The day, if the person may see it; otherwise 404, as if it did not exist."""
    try:
        return visible_days(access_for(user)).get(pk=day_id)
    except (AppreciationDay.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such appreciation day.") from None


def organised_days(access: Access) -> QuerySet[AppreciationDay]:
    """The days the person organises (every day, for an administrator), soonest last."""
    days = AppreciationDay.objects.with_waitlist_count()
    if access.is_admin:
        return days.order_by("-starts_at", "-id")
    if not access.is_organiser:
        return days.none()
    return days.filter(organisers=access.user_id).order_by("-starts_at", "-id")


def organiser_upcoming_days(access: Access, *, now: datetime) -> QuerySet[AppreciationDay]:
    """The organiser's home: the days they organise (every day, for an administrator, as
    :func:`organises` says) that are drafted or published and not over, soonest first; each
    with its waitlist count, its shifts, those still short of people and how many people they lack.
    One query however many days and shifts."""
    shifts = Shift.objects.filter(day=OuterRef("pk")).order_by()
    shift_count = shifts.values("day").annotate(n=Count("pk")).values("n")
    short = shifts.filter(taken__lt=F("capacity"))
    short_count = short.values("day").annotate(n=Count("pk")).values("n")
    missing = short.values("day").annotate(n=Sum(F("capacity") - F("taken"))).values("n")
    return (
        organised_days(access)
        .filter(status__in=[DayStatus.DRAFT, DayStatus.PUBLISHED])
        .not_over(now)
        .annotate(
            shift_count=Coalesce(Subquery(shift_count), 0),
            short_shifts=Coalesce(Subquery(short_count), 0),
            people_missing=Coalesce(Subquery(missing), 0),
        )
        .order_by("starts_at", "id")
    )


def organised_day_for(user, day_id: int) -> AppreciationDay:
    """The day, only for its organisers; 404 for everyone else, so that customers' details
    are never within reach of someone who does not run the day."""
    try:
        return organised_days(access_for(user)).get(pk=day_id)
    except (AppreciationDay.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such appreciation day.") from None


def upcoming_days(access: Access, *, now: datetime) -> QuerySet[AppreciationDay]:
    """Published days not yet over, soonest first, for staff choosing shifts."""
    return (
        visible_days(access)
        .published()
        .not_over(now)
        .order_by("starts_at", "id")
        .prefetch_related(shifts_with_mine(access))
    )


def shifts_with_mine(access: Access) -> Prefetch:
    """A Prefetch of each day's shifts, each saying whether the person holds it."""
    return Prefetch("shifts", queryset=shifts_for(access))


def shifts_for(access: Access) -> QuerySet[Shift]:
    mine = ShiftSignup.objects.filter(shift=OuterRef("pk"), user_id=access.user_id)
    return Shift.objects.annotate(is_mine=Exists(mine)).order_by("starts_at", "role", "id")


def shift_for(user, shift_id: int) -> Shift:
    """A shift of a day the person may see, or 404."""
    access = access_for(user)
    try:
        return (
            shifts_for(access)
            .select_related("day")
            .get(pk=shift_id, day__in=visible_days(access).values("pk"))
        )
    except (Shift.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such shift.") from None


def my_shifts(user, *, now: datetime | None = None) -> QuerySet[ShiftSignup]:
    """The person's shifts, soonest first; those ended before ``now`` left out when given."""
    signups = ShiftSignup.objects.of_user(user).with_context().order_by("shift__starts_at", "id")
    if now is not None:
        signups = signups.filter(shift__ends_at__gt=now)
    return signups


def registrations_of(
    day: AppreciationDay, *, search: str = "", status: str = ""
) -> QuerySet[Registration]:
    """A day's registrations in arrival order, each with its waitlist position."""
    registrations = Registration.objects.filter(day=day).with_position().in_arrival_order()
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    search = search.strip()
    if search:
        registrations = registrations.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return registrations


def registration_for_organiser(user, registration_id: int) -> Registration:
    """A registration of a day the person organises; 404 otherwise."""
    access = access_for(user)
    try:
        return (
            Registration.objects.with_position()
            .select_related("day", "checked_in_by")
            .get(pk=registration_id, day__in=organised_days(access).values("pk"))
        )
    except (Registration.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such registration.") from None


def invitation_for_organiser(user, invitation_id: int) -> Invitation:
    """An invitation link of a day the person organises; 404 otherwise."""
    access = access_for(user)
    try:
        return Invitation.objects.select_related("day").get(
            pk=invitation_id, day__in=organised_days(access).values("pk")
        )
    except (Invitation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such invitation.") from None


def registration_by_token(manage_token: str) -> Registration:
    """The one registration a manage token opens, or 404."""
    if not is_token(manage_token):
        raise Http404("No such registration.")
    found = (
        Registration.objects.with_position()
        .select_related("day", "invitation")
        .filter(manage_token=manage_token)
        .first()
    )
    if found is None:
        raise Http404("No such registration.")
    return found


def invitation_by_token(token: str) -> Invitation | None:
    if not is_token(token):
        return None
    return Invitation.objects.select_related("day").filter(token=token).first()


def invitations_of(day: AppreciationDay) -> QuerySet[Invitation]:
    return Invitation.objects.filter(day=day).order_by("-created_at", "-id")


def waitlist_position(registration: Registration) -> int | None:
    """The registration's 1-based place in its day's waitlist; None unless waitlisted."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = (
        Registration.objects.waitlisted()
        .filter(day_id=registration.day_id, pk__lt=registration.pk)
        .count()
    )
    return ahead + 1


def door_matches(day: AppreciationDay, *, search: str = "", code: str = ""):
    """What the door page lists: the registration a scanned code names, or every registration
    whose name or e-mail contains the search, in name order, each with its waitlist position
    and who checked it in. Cancelled and waitlisted registrations are listed too (after a live
    one of the same name), so staff can tell someone who cancelled or is waiting from a
    stranger; the page says which, and offers check-in only to a confirmed party. A code that
    could not be one of ours finds nothing."""
    registrations = (
        Registration.objects.filter(day=day)
        .with_position()
        .select_related("day", "checked_in_by")
        .annotate(
            cancelled_last=Case(
                When(status=RegistrationStatus.CANCELLED, then=Value(1)),
                default=Value(0),
            )
        )
        .order_by("name", "cancelled_last", "id")
    )
    if code:
        if not is_token(code):
            return registrations.none()
        return registrations.filter(checkin_code=code)
    if search.strip():
        term = search.strip()
        return registrations.filter(Q(name__icontains=term) | Q(email__icontains=term))
    return registrations.none()
