"""django-scim2's views, looking people and teams up by their id (a whole number): any other
id is a SCIM 404, not a server error."""

from django_scim import exceptions
from django_scim import views as scim
from typing_extensions import override

from portal.validators import MAX_ID


class _ById:
    @override
    def get_object(self):
        value = str(self.kwargs.get(self.lookup_url_kwarg) or "")
        if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
            raise exceptions.NotFoundError(value[:40])
        return super().get_object()


class UsersView(_ById, scim.UsersView):
    pass


class GroupsView(_ById, scim.GroupsView):
    pass
