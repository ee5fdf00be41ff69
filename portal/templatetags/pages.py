"""Links between the pages of a list that keep everything else in the address: the filters, the
search, and the page of any other list on the same page."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """Django's ``{% querystring %}`` with the page parameter's name given as a value, for pages
    that hold two lists, each with its own parameter."""
    return querystring(context, **{param: number})
