"""The API's JSON parser: refuses bodies no endpoint could use before any view reads them."""

from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from portal.validators import NOT_ALLOWED, has_forbidden_characters

# No endpoint takes anything deeper than an object of lists; this leaves ample room. Python's
# parser recurses once per level, so a body of ten thousand "[" would otherwise exhaust the
# stack and answer 500.
MAX_DEPTH = 20
TOO_DEEP = f"JSON parse error - nested more than {MAX_DEPTH} levels deep."


class PortalJSONParser(JSONParser):
    """JSON with at most MAX_DEPTH levels of nesting and no string (key or value) holding a
    character no field accepts: a NUL, a lone surrogate, a control character other than a line
    break or tab. A too-deep body is a 400 parse error; a bad character is a 400 naming the
    top-level field it came in, as if that field had refused it."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        check_body(data)
        return data


def check_body(data) -> None:
    """Walk the parsed body without recursion, whatever its shape."""
    field_of_top = isinstance(data, dict)
    pending = [(data, 1, None)]
    while pending:
        value, depth, field = pending.pop()
        if isinstance(value, str):
            if has_forbidden_characters(value):
                raise serializers.ValidationError({field or "non_field_errors": [NOT_ALLOWED]})
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        if isinstance(value, dict):
            for key, item in value.items():
                name = key if field is None and field_of_top else field
                if has_forbidden_characters(key):
                    raise serializers.ValidationError(
                        {(field or "non_field_errors"): [NOT_ALLOWED]}
                    )
                pending.append((item, depth + 1, name))
        else:
            pending.extend((item, depth + 1, field) for item in value)
