"""Group commit: concurrent single recordings written as one set-based transaction.

Two kinds share it: executions (`POST /executions`, written by app/services/recording.py) and OpenLineage RunEvents
(`POST /lineage`, merged by app/services/run_merging.py); `write` says how a batch is written, and `key` which items
may not share a batch (two events of one run: the second waits for the next batch, as it would wait for the first's
transaction one at a time).

Each request thread queues its recording. One of them at a time writes: it takes everything queued (up to
`max_items`), writes it with app/services/recording.py in one transaction, and hands each waiting request its own
outcome. Requests that arrive while a batch is being written form the next one, so under load batches grow by
themselves, and a lone request is written at once. When more than one recording waited at once since the last batch
was taken (several clients are recording), the writer first waits until as many are queued (the clients answered
since send their next ones), at most `window_s`: waiting for the whole window instead made two clients' batches
wait for a third that never came, and stopping at the size of the last batch kept batches at half the clients.

A batch whose transaction fails as a whole (a recording made concurrently by another process, a database error) is
retried one recording at a time, so one item's failure stays its own. Nothing is answered before its transaction
committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.errors import DomainError
from app.services.recording import record_all
from app.store.base import GraphStore, Tx

T = TypeVar("T")


@dataclass
class _Waiter(Generic[T]):
    item: T
    outcome: Any = None
    done: bool = False


class GroupCommit(Generic[T]):
    def __init__(
        self,
        store: GraphStore,
        *,
        window_s: float = 0.002,
        max_items: int = 256,
        write: Callable[[Tx, list[T]], list[Any]] = record_all,  # type: ignore[assignment]
        key: Callable[[T], Hashable] | None = None,
    ) -> None:
        self.store = store
        #: writes a batch in the caller's transaction: one outcome (a result or a DomainError) per item, or raises
        self.write = write
        self.key = key
        #: how long a writer waits for more recordings when the server is busy
        self.window_s = window_s
        self.max_items = max_items
        self._cond = threading.Condition()
        self._queue: list[_Waiter] = []
        self._writing = False
        #: recordings waiting for their answer, queued or being written
        self._waiting = 0
        #: the most that waited at once since the last batch was taken: how many clients are recording
        self._clients = 0

    def record(self, item: T) -> Any:
        waiter: _Waiter[T] = _Waiter(item)
        with self._cond:
            self._queue.append(waiter)
            self._waiting += 1
            self._clients = max(self._clients, self._waiting)
            self._cond.notify_all()
        try:
            while True:
                with self._cond:
                    while self._writing and not waiter.done:
                        self._cond.wait()
                    if waiter.done:
                        return self._result(waiter)
                    self._writing = True
                    batch = self._take()
                self._write(batch)
        finally:
            with self._cond:
                self._waiting -= 1

    def _take(self) -> list[_Waiter[T]]:
        """The next batch (the caller holds the condition and is the writer)."""
        if self._clients > 1 and self.window_s > 0:
            # the clients answered since are sending their next recordings: wait for them, not for the window
            deadline = time.monotonic() + self.window_s
            enough = min(self._clients, self.max_items)
            while len(self._queue) < enough and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)
        batch: list[_Waiter[T]] = []
        later: list[_Waiter[T]] = []
        keys: set[Hashable] = set()
        for waiter in self._queue:
            key = self.key(waiter.item) if self.key else None
            if len(batch) >= self.max_items or (key is not None and key in keys):
                later.append(waiter)
                continue
            batch.append(waiter)
            if key is not None:
                keys.add(key)
        self._queue = later
        self._clients = self._waiting
        return batch

    def _write(self, batch: list[_Waiter[T]]) -> None:
        try:
            outcomes: list[Any] = list(self._outcomes([w.item for w in batch]))
        except BaseException as exc:  # handed to every waiter, raised in its own request
            outcomes = [exc] * len(batch)
        with self._cond:
            for waiter, outcome in zip(batch, outcomes, strict=True):
                waiter.outcome, waiter.done = outcome, True
            self._writing = False
            self._cond.notify_all()

    def _outcomes(self, items: list[T]) -> list[Any]:
        try:
            return list(self.store.write(lambda tx: self.write(tx, items)))
        except DomainError as exc:
            if len(items) == 1:
                return [exc]
        except Exception:
            if len(items) == 1:
                raise
        return [self._alone(item) for item in items]

    def _alone(self, item: T) -> Any:
        try:
            return self.store.write(lambda tx: self.write(tx, [item]))[0]
        except BaseException as exc:  # this item's own failure, raised in its own request
            return exc

    @staticmethod
    def _result(waiter: _Waiter[T]) -> Any:
        if isinstance(waiter.outcome, BaseException) and not isinstance(waiter.outcome, DomainError):
            raise waiter.outcome
        return waiter.outcome  # type: ignore[return-value]
