"""A clock the test moves: what the services read the time from instead of the wall clock, so a test about
`created` and `updated` says when time passes instead of sleeping for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.timeutil import to_iso


class TestClock:
    """Starts at `start` and stands still until `advance()`; callable like `app.timeutil.now_iso`."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, start: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> str:
        return to_iso(self.now)

    def advance(self, seconds: float = 1.0) -> str:
        self.now += timedelta(seconds=seconds)
        return self()
