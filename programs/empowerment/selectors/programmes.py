from django.db.models import QuerySet

from programs.empowerment.models import GestureCategory, Programme


def active_programme() -> Programme | None:
    return Programme.objects.active().first()


def programmes() -> QuerySet[Programme]:
    return Programme.objects.all()


def categories() -> QuerySet[GestureCategory]:
    return GestureCategory.objects.filter(is_active=True).order_by("name")
