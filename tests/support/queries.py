"""Counting the database queries some code runs, with the SQL listed when a count is wrong.

Every query-count test goes through these helpers, so a failure always shows the statements
that ran, numbered, rather than two bare numbers (the habit of Zulip's
``assert_database_query_count``). Counts are of every statement on the default connection,
savepoints included.

A fixed count::

    with assert_query_count(1):
        new_count(manager.pk)

A page whose count must not grow with its data::

    few = page_queries(client, url)
    ...forty more rows...
    assert_same_query_count(few, page_queries(client, url))
"""

import re
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext


class CapturedQueries(CaptureQueriesContext):
    """The statements run on the default connection inside a ``with`` block."""

    def __init__(self):
        super().__init__(connection)

    @property
    def count(self) -> int:
        return len(self.captured_queries)

    @property
    def sql(self) -> list[str]:
        return [query["sql"] for query in self.captured_queries]

    def listing(self) -> str:
        """Every statement, numbered from 1, one a line."""
        return "\n".join(f"{n:>3}. {sql}" for n, sql in enumerate(self.sql, 1)) or "  (none)"


def capture_queries() -> CapturedQueries:
    """``with capture_queries() as captured:``, then read ``captured.count`` and ``.sql``."""
    return CapturedQueries()


def page_queries(
    client, url: str, *, status: int = 200, headers: dict | None = None
) -> CapturedQueries:
    """GET ``url`` with the test client, check its status, and return the queries it ran."""
    __tracebackhide__ = True
    with capture_queries() as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == status, f"GET {url} answered {response.status_code}"
    return captured


def assert_query_count(expected: int) -> CapturedQueries:
    """``with assert_query_count(n):`` fails unless the block runs exactly ``n`` queries; the
    message lists them."""
    return _ExpectedQueries(expected)


class _ExpectedQueries(CapturedQueries):
    # A class rather than a generator, so the failure points at the test's ``with`` line and
    # not into contextlib.
    def __init__(self, expected: int):
        super().__init__()
        self.expected = expected

    def __exit__(self, exc_type, exc_value, traceback):
        __tracebackhide__ = True
        super().__exit__(exc_type, exc_value, traceback)
        if exc_type is None and self.count != self.expected:
            raise AssertionError(
                f"expected {self.expected} queries, ran {self.count}:\n{self.listing()}"
            )


def assert_same_query_count(
    first: CapturedQueries, second: CapturedQueries, *, expected: int | None = None
) -> None:
    """Fail unless two runs (before and after the data grew) made as many queries as each
    other, and ``expected`` when given. The message names the statements one run made more
    often than the other (numbers and strings blanked out), then lists both runs."""
    __tracebackhide__ = True
    if first.count != second.count:
        raise AssertionError(
            f"the first run made {first.count} queries, the second {second.count}\n"
            f"{_differences(first, second)}\n"
            f"-- first run:\n{first.listing()}\n-- second run:\n{second.listing()}"
        )
    if expected is not None and second.count != expected:
        raise AssertionError(
            f"expected {expected} queries, both runs made {second.count}:\n{second.listing()}"
        )


# A statement's shape: its literals blanked, so the same query for another row counts as one.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def _differences(first: CapturedQueries, second: CapturedQueries) -> str:
    shapes = [Counter(_LITERALS.sub("?", sql) for sql in run.sql) for run in (first, second)]
    lines = [
        f"-- {label}:\n" + "\n".join(f"  {n} x {shape}" for shape, n in extra.items())
        for label, extra in (
            ("more often in the second run", shapes[1] - shapes[0]),
            ("more often in the first run", shapes[0] - shapes[1]),
        )
        if extra
    ]
    return "\n".join(lines)
