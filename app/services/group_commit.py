"""Group commit: concurrent single recordings written as one set-based transaction.

Each request thread queues its recording. One of them at a time writes: it takes everything queued (up to
`max_items`), writes it with app/services/recording.py in one transaction, and hands each waiting request its own
outcome. Requests that arrive while a batch is being written form the next one, so under load batches grow by
themselves, and a lone request is written at once. When the last batch held more than one recording (the server is
busy), the writer first waits up to `window_s` for more. A batch whose transaction fails as a whole (a recording
made concurrently by another process, a database error) is retried one recording at a time, so one item's failure
stays its own. Nothing is answered before its transaction committed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from app.errors import DomainError
from app.services.recording import Outcome, Recording, record_all
from app.store.base import GraphStore


@dataclass
class _Waiter:
    item: Recording
    outcome: Outcome | BaseException | None = None
    done: bool = False


class GroupCommit:
    def __init__(self, store: GraphStore, *, window_s: float = 0.002, max_items: int = 256) -> None:
        self.store = store
        #: how long a writer waits for more recordings when the server is busy
        self.window_s = window_s
        self.max_items = max_items
        self._cond = threading.Condition()
        self._queue: list[_Waiter] = []
        self._writing = False
        self._busy = False

    def record(self, item: Recording) -> Outcome:
        waiter = _Waiter(item)
        with self._cond:
            self._queue.append(waiter)
            self._cond.notify_all()
        while True:
            with self._cond:
                while self._writing and not waiter.done:
                    self._cond.wait()
                if waiter.done:
                    return self._result(waiter)
                self._writing = True
                batch = self._take()
            self._write(batch)

    def _take(self) -> list[_Waiter]:
        """The next batch (the caller holds the condition and is the writer)."""
        if self._busy and self.window_s > 0:
            deadline = time.monotonic() + self.window_s
            while len(self._queue) < self.max_items and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)
        batch, self._queue = self._queue[: self.max_items], self._queue[self.max_items :]
        self._busy = len(batch) > 1
        return batch

    def _write(self, batch: list[_Waiter]) -> None:
        try:
            outcomes: list[Outcome | BaseException] = list(self._outcomes([w.item for w in batch]))
        except BaseException as exc:  # handed to every waiter, raised in its own request
            outcomes = [exc] * len(batch)
        with self._cond:
            for waiter, outcome in zip(batch, outcomes, strict=True):
                waiter.outcome, waiter.done = outcome, True
            self._writing = False
            self._cond.notify_all()

    def _outcomes(self, items: list[Recording]) -> list[Outcome | BaseException]:
        try:
            return list(self.store.write(lambda tx: record_all(tx, items)))
        except DomainError as exc:
            if len(items) == 1:
                return [exc]
        except Exception:
            if len(items) == 1:
                raise
        return [self._alone(item) for item in items]

    def _alone(self, item: Recording) -> Outcome | BaseException:
        try:
            return self.store.write(lambda tx: record_all(tx, [item]))[0]
        except BaseException as exc:  # this item's own failure, raised in its own request
            return exc

    @staticmethod
    def _result(waiter: _Waiter) -> Outcome:
        if isinstance(waiter.outcome, BaseException) and not isinstance(waiter.outcome, DomainError):
            raise waiter.outcome
        return waiter.outcome  # type: ignore[return-value]
