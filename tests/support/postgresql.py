"""For the tests of what only PostgreSQL does: skipped on any other database, and never skipped
on CI, which refuses to run without PostgreSQL (tests/conftest.py)."""

import pytest
from django.conf import settings


def only_on_postgresql(why: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason=f"{why} (CI always runs these)",
    )
