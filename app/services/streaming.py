"""One read transaction's answer handed to a slow consumer (an HTTP response) piece by piece.

The transaction runs in a thread of its own and puts each piece into a small queue; the consumer takes them as
the client reads. Neither side holds the whole answer. A consumer that stops reading (a client gone) is noticed
within `idle_s`: the producer gives up and its transaction ends. Few exports run at once, so slow readers never
hold every connection of the store.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from app.errors import StoreUnavailable
from app.store.base import GraphStore, Tx

T = TypeVar("T")

#: Streams running at once, per process; one more is a 503 the client may retry.
STREAMS_AT_ONCE = 4
#: How long a stream waits for its reader before it gives up, and how long one may last in all.
IDLE_S = 30.0
STREAM_S = 600.0

_slots = threading.BoundedSemaphore(STREAMS_AT_ONCE)
_END = object()


class _ReaderGone(Exception):
    """The consumer stopped taking pieces: end the transaction."""


class ReadStream(Generic[T]):
    """Iterate to receive what `produce` yields inside one read transaction of `store`. The first `next()` takes
    a slot and starts the transaction: take it before answering, so that a refusal or a failed query is still an
    error response, not a cut stream."""

    def __init__(self, store: GraphStore, produce: Callable[[Tx], Iterator[T]], *, buffer: int = 8) -> None:
        self._store, self._produce = store, produce
        self._queue: queue.Queue[object] = queue.Queue(maxsize=buffer)
        self._stop = threading.Event()

    def __iter__(self) -> Iterator[T]:
        if not _slots.acquire(blocking=False):
            raise StoreUnavailable(f"{STREAMS_AT_ONCE} exports are running; retry in a moment")
        threading.Thread(target=self._run, name="read-stream", daemon=True).start()
        try:
            while True:
                item = self._queue.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item  # type: ignore[misc]
        finally:
            self._stop.set()

    def _run(self) -> None:
        sent = 0

        def work(tx: Tx) -> None:
            nonlocal sent
            if sent:  # a retry (the driver's, the store's) would send the first pieces twice
                raise StoreUnavailable("the database failed during the export; start it again")
            for piece in self._produce(tx):
                self._put(piece)
                sent += 1

        try:
            self._store.read(work, timeout_s=STREAM_S)
            self._put(_END, final=True)
        except _ReaderGone:
            pass
        except Exception as exc:  # handed to the reader, who raises it
            self._put(exc, final=True)
        finally:
            _slots.release()

    def _put(self, item: object, final: bool = False) -> None:
        waited = 0.0
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                waited += 0.5
                if waited >= IDLE_S:
                    break
        if not final:
            raise _ReaderGone
