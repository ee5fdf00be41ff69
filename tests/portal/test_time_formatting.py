"""When something happened, said the way people say it: one formatter,
``programs.formatting.ago``, behind the ``ago`` template filter on every page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from portal.formatting import ago

LONDON = ZoneInfo("Europe/London")
# A Thursday evening in winter (UTC+0), and one in summer (UTC+1) for the time zone.
NOW = datetime(2026, 12, 3, 18, 30, tzinfo=LONDON)
SUMMER_NOW = datetime(2026, 7, 3, 18, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _in_london():
    """The portal's time zone, whatever TIME_ZONE this machine's environment sets."""
    with timezone.override(LONDON):
        yield


@pytest.mark.parametrize(
    ("before", "said"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=60), "1 minute ago"),
        (timedelta(minutes=5, seconds=30), "5 minutes ago"),
        (timedelta(minutes=59, seconds=59), "59 minutes ago"),
        (timedelta(hours=1), "1 hour ago"),
        (timedelta(hours=5, minutes=59), "5 hours ago"),
        (timedelta(hours=6), "today at 12:30"),
        (timedelta(hours=18, minutes=30), "today at 00:00"),
        (timedelta(hours=18, minutes=31), "yesterday at 23:59"),
        (timedelta(days=1, hours=18, minutes=30), "yesterday at 00:00"),
        (timedelta(days=1, hours=18, minutes=31), "1 December"),
        (timedelta(days=336), "1 January"),
        (timedelta(days=337), "31 December 2025"),
        (-timedelta(seconds=30), "just now"),
        (-timedelta(minutes=5), "18:35 on 3 December 2026"),
    ],
    ids=lambda value: str(value),
)
def test_how_long_ago_reads(before, said):
    assert ago(NOW - before, now=NOW) == said


def test_the_day_and_hour_are_the_portals_time_zone_not_utc():
    # 23:30 UTC on 2 July is 00:30 on 3 July in London: today, not yesterday.
    moment = datetime(2026, 7, 2, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert ago(moment, now=SUMMER_NOW) == "today at 00:30"


def test_the_filter_says_just_now_for_a_moment_ago_and_nothing_for_no_moment():
    template = Template("{% load formatting %}[{{ moment|ago }}]")
    assert template.render(Context({"moment": datetime.now(tz=LONDON)})) == "[just now]"
    assert template.render(Context({"moment": None})) == "[]"
    assert template.render(Context({"moment": "yesterday"})) == "[]"


def test_the_exact_time_for_a_tooltip():
    template = Template("{% load formatting %}{{ moment|full_time }}")
    assert template.render(Context({"moment": NOW})) == "18:30 on 3 December 2026"
