"""The error answers every empowerment endpoint documents in the OpenAPI schema.

The bodies are what ``portal.api.exceptions.portal_exception_handler`` returns.
"""

from drf_spectacular.utils import OpenApiResponse

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

FIELD_ERRORS = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

_ANSWERS = {
    400: OpenApiResponse(FIELD_ERRORS, description="Bad input: each field with its messages."),
    401: OpenApiResponse(DETAIL, description="No credentials, or credentials that are not valid."),
    403: OpenApiResponse(DETAIL, description="The caller may not do this."),
    404: OpenApiResponse(DETAIL, description="No such object, or the caller may not see it."),
    409: OpenApiResponse(DETAIL, description="The object's state forbids it."),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers for the given status codes, for ``extend_schema``."""
    return {code: _ANSWERS[code] for code in codes}
