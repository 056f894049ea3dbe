"""Sinks: deliver the outbox (app/services/outbox.py) to where catalogs take OpenLineage: a Kafka topic
(`kafka.py`), a catalog's HTTP endpoint (`http.py`). `delivery.py` runs one per sink in the serve process."""

from __future__ import annotations

from typing import Protocol

import msgspec


class Unreachable(Exception):
    """The receiver could not take the events now (down, a timeout, a 5xx): retried later, in order. `done` leading
    events were delivered before it failed."""

    def __init__(self, message: str, done: int = 0) -> None:
        super().__init__(message)
        self.done = done


class Transport(Protocol):
    """Where a sink delivers."""

    #: the sink's name: its cursor's key in the outbox
    name: str

    def send(self, events: list[msgspec.Raw]) -> dict[int, str]:
        """Deliver the events in order; returns those the receiver refused for good (index -> its reason). Raises
        Unreachable when it could not deliver them all."""
        ...

    def close(self) -> None: ...
