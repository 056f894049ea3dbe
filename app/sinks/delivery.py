"""One sink's delivery loop, a thread of the serve process: lease the sink's cursor, read the outbox after it, send,
set refused events aside, move the cursor, prune; on failure note the error and back off. At least once: events sent
but not yet acknowledged by the cursor's move are sent again after a crash or a lost lease."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from typing import Any

from app.services import outbox
from app.sinks import Transport, Unreachable
from app.store.base import GraphStore

log = logging.getLogger(__name__)

#: how long a process holds a sink once it took it (renewed at every page)
LEASE_S = 60.0
#: a process that found the sink held by another asks again after this long (not at every recording)
LEASE_RETRY_S = 5.0
#: waits between retries, doubling from the first to the last
BACKOFF_S = (0.5, 10.0)
#: how often an idle sink looks for new events when no recording in this process woke it
POLL_S = 0.5
#: after a partial page, how long a sink lets events gather before the next (each page moves its cursor: a write)
PACE_S = 0.25
#: while a sink cannot deliver, the log says so (with its backlog) at most this often
LOG_EVERY_S = 30.0
#: prune the delivered events every this many pages
PRUNE_EVERY = 20


class Delivery:
    """Deliver the outbox to one transport until stopped."""

    def __init__(self, store: GraphStore, transport: Transport, *, holder: str | None = None) -> None:
        self.store = store
        self.transport = transport
        #: who holds the lease: a process restarted on the same host and port takes its own lease back at once
        self.holder = holder or f"{os.uname().nodename}:{uuid.uuid4().hex[:8]}"
        self.stopping = threading.Event()
        self.wake = outbox.listen()
        self.pages = 0
        self.logged = -LOG_EVERY_S
        self.failing = False
        self.held: outbox.Lease | None = None
        self.renew_at = 0.0
        self.retry_at = 0.0
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"sink-{transport.name}")

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self.thread.is_alive():
            self.thread.join(timeout_s)
        self.transport.close()
        if self.held is not None and not self.thread.is_alive():
            with contextlib.suppress(Exception):  # the database is gone: the lease runs out by itself
                outbox.release(self.store, self.held)

    def _run(self) -> None:
        backoff = BACKOFF_S[0]
        while not self.stopping.is_set():
            try:
                sent = self.step()
                backoff = BACKOFF_S[0]
                if sent and self.failing:
                    self.failing = False
                    log.info("sink %s: delivering again", self.transport.name)
            except Exception as exc:  # a sink never stops: a down receiver or database is waited for
                self.failing = True
                self.held = None
                self._failed(exc)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_S[1])
                continue
            if sent == 0:
                self.wake.wait(POLL_S)
                self.wake.clear()
            elif sent < outbox.PAGE_ROWS:
                self.stopping.wait(PACE_S)  # a partial page: let more gather, a page costs a write

    def step(self) -> int:
        """Deliver one page; returns how many outbox rows it delivered (0: nothing to deliver, or another process
        holds the sink)."""
        held = self._lease()
        if held is None:
            return 0
        rows = outbox.pending(self.store, held.seq)
        if not rows:
            return 0
        events = [(row, i) for row in rows for i in range(len(row.events))]
        try:
            refused = self.transport.send([row.events[i] for row, i in events])
        except Unreachable as exc:
            self._advance_past(held, rows, exc.done)
            raise
        if refused:
            outbox.park(self.store, held, [(*events[i], reason) for i, reason in refused.items()])
            log.warning("sink %s: the receiver refused %d event(s); set aside", self.transport.name, len(refused))
        if not outbox.advance(self.store, held, rows[-1].seq, len(events) - len(refused)):
            self.held = None  # another process took the sink over (this one was too slow): it goes on from there
        self.pages += 1
        if self.pages % PRUNE_EVERY == 0:
            outbox.prune(self.store)
        return len(rows)

    def _lease(self) -> outbox.Lease | None:
        """The sink's lease, renewed once half of it has passed; an idle sink only reads (the lease is a write)."""
        now = time.monotonic()
        if self.held is not None and now < self.renew_at:
            return self.held
        if self.held is None and now < self.retry_at:
            return None  # another process delivers: every recording here wakes this sink, and a lease is a write
        if not outbox.waiting(self.store, self.transport.name):
            return None
        self.held = outbox.lease(self.store, self.transport.name, self.holder, LEASE_S)
        if self.held is None:
            self.retry_at = now + LEASE_RETRY_S
        self.renew_at = now + LEASE_S / 2
        return self.held

    def _advance_past(self, held: outbox.Lease, rows: list[outbox.OutboxRow], done: int) -> None:
        """Keep what was delivered before a failure: the rows whose every event went through."""
        seq, count = held.seq, 0
        for row in rows:
            if count + len(row.events) > done:
                break
            count += len(row.events)
            seq = row.seq
        if seq > held.seq:
            outbox.advance(self.store, held, seq, count)

    def _failed(self, exc: Exception) -> None:
        name = self.transport.name
        message = str(exc) if isinstance(exc, Unreachable) else f"{type(exc).__name__} (see the server log)"
        if not isinstance(exc, Unreachable):
            log.exception("sink %s: delivery failed", name, exc_info=exc)
        with contextlib.suppress(Exception):  # the database itself is down: the log says so below
            outbox.failed(self.store, name, self.holder, message)
        if time.monotonic() - self.logged < LOG_EVERY_S:
            return
        self.logged = time.monotonic()
        try:
            events, oldest = outbox.backlog(self.store, name)
            log.warning("sink %s: %s; backlog %d event(s), the oldest recorded %s", name, message, events, oldest)
        except Exception:  # the database is down too
            log.warning("sink %s: %s; the backlog is unknown (the database does not answer)", name, message)


def start_sinks(store: GraphStore, settings: Any) -> list[Delivery]:
    """The deliveries the settings ask for, started."""
    from app.sinks.http import HttpSink
    from app.sinks.kafka import KafkaSink, parse_config

    transports: list[Transport] = []
    if settings.kafka_bootstrap:
        config = parse_config(settings.kafka_config)
        transports.append(KafkaSink(settings.kafka_bootstrap, settings.kafka_topic, config))
    if settings.forward_url:
        transports.append(HttpSink(settings.forward_url, settings.forward_token, batch=settings.forward_batch))
    holder = f"{os.uname().nodename}:{settings.port}"
    deliveries = [Delivery(store, t, holder=holder) for t in transports]
    for d in deliveries:
        d.start()
        log.info("sink %s: delivering the outbox", d.transport.name)
    return deliveries
