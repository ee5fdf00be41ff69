"""URL converters: what a path segment must look like before a view is asked about it."""

from portal.validators import TOKEN_PATTERN


class TokenConverter:
    """An invitation or manage token: the URL-safe alphabet ``secrets.token_urlsafe`` uses and
    nothing else. Anything else in that place (a NUL, a space, a right-to-left override) is
    not one of ours, so the URL matches no page: a plain 404, and no database lookup."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
