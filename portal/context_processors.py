from django.http import HttpRequest

from accounts.permissions import access_for
from portal.navigation import navigation_for


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    access = access_for(user)
    return {
        "access": access,
        "navigation": navigation_for(request, access) if access.user_id else [],
    }
