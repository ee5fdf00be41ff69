"""Maps the application's errors, and Django's validation errors, to clean API answers."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.errors import ApplicationError


def portal_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = dict(exc.field_errors) if exc.field_errors else {}
        body.setdefault("detail", exc.message)
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {
                field or "non_field_errors": [str(m) for m in messages]
                for field, messages in exc.message_dict.items()
            }
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (Http404, PermissionDenied)):
        return exception_handler(exc, context)
    return exception_handler(exc, context)
