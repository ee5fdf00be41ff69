"""Reading what a request sent, through a serializer, the same way at every endpoint."""

from rest_framework.serializers import Serializer


def checked(serializer_class: type[Serializer], data, **options) -> dict:
    """``data`` (a request's body or its query) checked by ``serializer_class``: the cleaned
    values, or a 400 that names each bad field. ``options`` go to the serializer (``partial``,
    ``context``)."""
    serializer = serializer_class(data=data, **options)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
