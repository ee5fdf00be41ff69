from collections.abc import Callable

import pytest

from programs.models import Gesture
from programs.services.gestures import log_gesture
from tests.factories import gesture_input


@pytest.fixture
def logged(programme, category, budget) -> Callable[..., Gesture]:
    """Log a gesture through the service: ``logged(agent, cost="60.00")``."""

    def log(agent, **overrides) -> Gesture:
        return log_gesture(agent=agent, programme=programme, **gesture_input(**overrides))

    return log


@pytest.fixture
def copies() -> Callable[..., list[Gesture]]:
    """Many valid rows at once, cloned from a logged gesture, for query-count tests."""

    def clone(gesture: Gesture, count: int, **changes) -> list[Gesture]:
        fields = {
            f.attname: getattr(gesture, f.attname)
            for f in Gesture._meta.concrete_fields
            if not f.primary_key
        }
        return Gesture.objects.bulk_create(
            Gesture(**{**fields, "customer_ref": f"BULK-{n}", **changes}) for n in range(count)
        )

    return clone
