"""What the login page offers: the identity providers first, the password form when it is on."""

from django import template
from django.urls import reverse

from programs.identity.sso import config

register = template.Library()

BREAK_GLASS = "break-glass"


@register.simple_tag(takes_context=True)
def sign_in_options(context) -> dict:
    """``providers`` (name and login URL of each), ``password_form`` (shown: password sign-in
    is on, or this is the break-glass form) and ``break_glass`` (this is that form)."""
    request = context["request"]
    break_glass = BREAK_GLASS in request.GET
    return {
        "providers": [
            {
                "name": app["name"],
                "url": reverse("openid_connect_login", kwargs={"provider_id": app["provider_id"]}),
            }
            for app in config.provider_apps()
        ],
        "password_form": config.password_login() or break_glass,
        "break_glass": break_glass and not config.password_login(),
    }
