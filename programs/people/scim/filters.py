"""SCIM filters (``userName eq "ann@example.com"``) as Django queries: case-insensitive, as
SCIM's ``userName`` is, and on the portal's own columns. Only the attributes below filter;
anything else is a 400, never "everyone"."""

from django.db.models import QuerySet
from django_scim.filters import GroupFilterQuery, UserFilterQuery
from scim2_filter_parser.transpilers.django_q_object import get_query
from typing_extensions import override

from accounts.models import Team, User


def _query(filter_query: str, attr_map: dict):
    query = get_query(filter_query, attr_map)
    if query is None or not query:
        raise ValueError("Filter on an attribute this service provider does not filter by.")
    return query


class PersonFilter(UserFilterQuery):
    attr_map = {
        ("userName", None, None): "email",
        ("emails", "value", None): "email",
        ("emails", None, None): "email",
        ("displayName", None, None): "name",
        ("name", "formatted", None): "name",
        ("active", None, None): "is_active",
    }

    @classmethod
    @override
    def search(cls, filter_query: str, request=None) -> QuerySet:
        return (
            User.objects.filter(_query(filter_query, cls.attr_map))
            .prefetch_related("memberships__team")
            .order_by("pk")
        )


class TeamFilter(GroupFilterQuery):
    attr_map = {("displayName", None, None): "name"}

    @classmethod
    @override
    def search(cls, filter_query: str, request=None) -> QuerySet:
        return (
            Team.objects.filter(_query(filter_query, cls.attr_map))
            .prefetch_related("memberships__user")
            .order_by("pk")
        )


def prefetching(model):
    """``GET_QUERYSET_POST_PROCESSOR_GETTER``: a list of Users or Groups reads each one's
    teams or members with the list, not one query per resource."""
    related = {User: "memberships__team", Team: "memberships__user"}.get(model)

    def post_process(_request, queryset):
        return queryset.prefetch_related(related) if related else queryset

    return post_process
