"""The two-factor pages' helpers: the enrolment QR code drawn in the page, and the data
allauth's WebAuthn script needs, carried in an attribute rather than an inline script."""

import json
import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.two_factor import must_enrol

register = template.Library()

_SVG_START = re.compile(r"^.*?<svg\b", re.DOTALL)


@register.filter
def qr_svg(svg: str, label: str) -> SafeString:
    """allauth's QR code (an SVG that qrcode draws from the otpauth:// address allauth builds)
    as an element of the page: no data: image for the Content-Security-Policy to allow, and an
    image with a name for screen readers. The XML prolog goes; nothing else is changed."""
    body = _SVG_START.sub("", svg, count=1)
    return mark_safe(  # noqa: S308 — qrcode's own drawing; the label is escaped
        f'<svg class="qr__code" role="img" aria-label="{escape(label)}"{body}'
    )


@register.filter
def as_json(value) -> str:
    """For a ``data-`` attribute (autoescaping makes it safe there)."""
    return json.dumps(value)


@register.simple_tag(takes_context=True)
def enrolment_required(context) -> bool:
    """Whether the person looking must enrol before they can use the portal (their role)."""
    return must_enrol(context["request"].user)
