"""Timestamps as stored: ISO 8601 UTC with microseconds and a `Z`, fixed width.

Fixed width makes string order equal time order, so both backends compare and sort dates as strings and
no dialect-specific temporal type is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from app.memo import cached_if_short

FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

#: What the services read the time from: `now_iso` in the service, a clock the test moves in tests.
Clock = Callable[[], str]


def now_iso() -> str:
    return datetime.now(UTC).strftime(FORMAT)


def to_iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(FORMAT)


def parse_iso(text: str) -> datetime:
    """Parse any ISO 8601 timestamp (`Z` or offset; naive means UTC)."""
    value = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+00:01 is before the first representable instant
        raise ValueError(f"{text!r} is out of the representable range of times") from None


@cached_if_short(maxsize=1 << 14)
def normalize_iso(text: str) -> str:
    """Cached: a run's event times are normalised when checked, merged and recorded, each several times."""
    return to_iso(parse_iso(text))


def seconds_after(later: str, earlier: str) -> float:
    """How many seconds `later` is after `earlier` (both as stored)."""
    return (parse_iso(later) - parse_iso(earlier)).total_seconds()
