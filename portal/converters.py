"""URL converters: what a path segment must look like before a view is asked about it."""

from portal.validators import MAX_ID, TOKEN_PATTERN


class IdConverter:
    """A row's id in an address: digits, from 1 to the largest id a row can have. A bigger
    number is no row of ours, so the address matches no page (a plain 404) and the database is
    never asked for a number it cannot hold."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            # Django's resolver takes a ValueError as "this pattern does not match".
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class TokenConverter:
    """An invitation or manage token: the URL-safe alphabet ``secrets.token_urlsafe`` uses and
    nothing else. Anything else in that place (a NUL, a space, a right-to-left override) is
    not one of ours, so the URL matches no page: a plain 404, and no database lookup."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
