"""Sending many hostile requests in-process, each in a savepoint that is rolled back, and
collecting every server error rather than stopping at the first."""

from django.db import transaction
from django.http import HttpResponse
from django.test import Client


class Sweep:
    def __init__(self, client: Client, who: str):
        self.client = client
        self.who = who
        self.failures: list[str] = []
        self.sent = 0

    def send(self, method: str, url: str, data=None, *, what: str = "", **extra) -> HttpResponse:
        """Send one request; whatever it changes is undone, so the next meets the same data."""
        with transaction.atomic():
            response: HttpResponse = getattr(self.client, method)(url, data, **extra)
            transaction.set_rollback(True)
        self.sent += 1
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else None
            self.failures.append(
                f"{self.who}: {method.upper()} {url[:120]} {what} -> {response.status_code} "
                f"{error!r:.300}"
            )
        return response

    def report(self) -> str:
        return f"{len(self.failures)} of {self.sent} requests answered 5xx:\n" + "\n".join(
            self.failures
        )
