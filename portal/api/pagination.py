from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def _whole_number(value: str) -> int | None:
    """``value`` as a whole number written in ASCII digits, or None (``int`` alone would also
    take full-width and other scripts' digits, " 10" and "+10")."""
    return int(value) if value.isascii() and value.isdigit() else None


class PortalPagination(PageNumberPagination):
    """Pages of 25 by default. ``page`` and ``page_size`` are whole numbers from 1 (empty counts
    as not given): a page that is not one, or does not exist, is 404 "Invalid page."; a page
    size that is not one is refused with 400 rather than quietly replaced, and one larger than
    100 gives 100."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = (
        f"Number of results per page, from 1; more than {max_page_size} gives {max_page_size}. "
        f"{page_size} when omitted."
    )

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        size = _whole_number(raw)
        if not size:
            raise ValidationError({self.page_size_query_param: ["Enter a whole number from 1."]})
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator) -> int | str:
        raw = request.query_params.get(self.page_query_param)
        if not raw or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if _whole_number(raw) is None:
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        return raw

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
