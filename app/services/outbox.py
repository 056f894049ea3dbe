"""The outbox: the OpenLineage events of what is recorded, written in the same transaction, for sinks to deliver.

A recording (an execution, an OpenLineage run) writes the events the pull feed would serve for it (START and the end
event per task run, with parent and column facets) as one OutboxEvent, numbered by the one OutboxCounter. The counter
is taken by the last statement of the transaction, so its lock is held only for the commit, and numbers follow commit
order on both backends: a sink that has delivered up to N never finds a smaller number committed later. Nothing
acknowledged is missing (the events commit with what they describe) and nothing is there that was not committed.

Each sink (app/sinks/) keeps its own cursor in an OutboxSink node and delivers under a lease, so that of several API
processes on one Neo4j one delivers at a time. An event a receiver refuses (a 4xx) is parked as an OutboxParked with
the reason and the cursor moves on. Events every sink has delivered are pruned.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import Asset
from app.domain.executions import ExecutionRecord
from app.openlineage import events as ol_events
from app.store.base import GraphStore, Tx

#: Events a sink reads from the outbox at once (each row is one recording's events).
PAGE_ROWS = 200
#: past every row's number: pruning up to it empties the outbox
EVERY_SEQ = 1 << 62


class OutboxRow(msgspec.Struct, kw_only=True):
    seq: int
    tenantId: str
    kind: str
    created: str
    #: each event's JSON as stored: sinks send it as it is, never parsed and written again
    events: list[msgspec.Raw]

    def dicts(self) -> list[dict[str, Any]]:
        return [msgspec.json.decode(e) for e in self.events]


class _RunView(msgspec.Struct):
    runId: str | None = None


class _DatasetView(msgspec.Struct):
    namespace: str = ""
    name: str = ""


class _KeyView(msgspec.Struct):
    """The fields of an event its key is made of (msgspec skips the rest without building it)."""

    run: _RunView | None = None
    dataset: _DatasetView | None = None


class Lease(msgspec.Struct, kw_only=True):
    """A sink's right to deliver, and where it has delivered up to."""

    sink: str
    holder: str
    seq: int


class SinkStatus(msgspec.Struct, kw_only=True):
    name: str
    #: events of this tenant not delivered yet, and when the oldest of them was recorded
    backlog: int
    oldestUndelivered: str | None
    delivered: int
    lastError: str | None
    lastErrorAt: str | None
    holder: str | None
    parked: int


class ParkedEvent(msgspec.Struct, kw_only=True):
    sink: str
    seq: int
    runId: str | None
    reason: str
    parked: str
    event: dict[str, Any]


class OutboxStatus(msgspec.Struct, kw_only=True):
    sinks: list[SinkStatus]
    parked: list[ParkedEvent]


# -- writing, with what the events describe ---------------------------------------------------------------------


def execution_events(record: ExecutionRecord, assets: Mapping[str, Asset]) -> list[dict[str, Any]]:
    """The events the pull feed serves for an execution (every asset named: sinks are the operator's)."""
    return ol_events.execution_event_dicts(record, assets)


def dataset_event(asset: Asset, now: str) -> dict[str, Any]:
    """The DatasetEvent of an asset as stored (a change made outside an execution)."""
    return ol_events.to_dict(ol_events.asset_event(asset, None, now))


def publish_assets(tx: Tx, tenant: str, assets: list[Asset], now: str) -> None:
    """Asset changes made outside an execution (a PUT, a delete) as DatasetEvents, in the caller's transaction."""
    if assets:
        append(tx, [row(tenant, "dataset", [dataset_event(a, now) for a in assets], now)])


def row(tenant: str, kind: str, events: list[dict[str, Any]], now: str) -> dict[str, Any]:
    """One outbox row (its number is given when appended)."""
    document = msgspec.json.encode(events).decode()
    return {"tenantId": tenant, "kind": kind, "created": now, "document": document, "events": len(events)}


def append(tx: Tx, rows: list[dict[str, Any]]) -> None:
    """Append rows, numbered in order; the caller's last statement (it takes the counter's lock until commit)."""
    if rows:
        tx.run("outbox_append", rows=[{**r, "offset": i} for i, r in enumerate(rows)], count=len(rows))
        for listener in _listeners:  # this process's sinks look now (or at their next poll, if before the commit)
            listener.set()


#: the wake-up signals of this process's sinks
_listeners: list[threading.Event] = []


def listen() -> threading.Event:
    """A signal set whenever this process appends to the outbox (a sink waits on it between polls)."""
    event = threading.Event()
    _listeners.append(event)
    return event


# -- delivering -------------------------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def waiting(store: GraphStore, sink: str) -> bool:
    """Whether the outbox holds events after the sink's cursor (a read: idle sinks write nothing)."""

    def work(tx: Tx) -> bool:
        cursor = next((int(r["s"]["seq"]) for r in tx.run("outbox_sinks") if r["s"]["key"] == sink), 0)
        return bool(tx.run("outbox_pending", after=cursor, limit=1))

    return store.read(work)


def lease(store: GraphStore, sink: str, holder: str, ttl_s: float) -> Lease | None:
    """Take (or renew) the sink's lease; None while another process holds it."""
    now = _now()
    rows = store.write(
        lambda tx: tx.run(
            "outbox_sink_lease", sink=sink, holder=holder, now=_iso(now), until=_iso(now + timedelta(seconds=ttl_s))
        )
    )
    return Lease(sink=sink, holder=holder, seq=int(rows[0]["seq"])) if rows else None


def release(store: GraphStore, held: Lease) -> None:
    """Hand the sink back (a clean stop): another process takes it at once."""
    store.write(lambda tx: tx.run("outbox_sink_release", sink=held.sink, holder=held.holder))


def pending(store: GraphStore, after: int, limit: int = PAGE_ROWS) -> list[OutboxRow]:
    rows = store.read(lambda tx: tx.run("outbox_pending", after=after, limit=limit))
    return [
        OutboxRow(
            seq=int(r["o"]["seq"]),
            tenantId=r["o"]["tenantId"],
            kind=r["o"]["kind"],
            created=r["o"]["created"],
            events=msgspec.json.decode(r["o"]["document"], type=list[msgspec.Raw]),
        )
        for r in rows
    ]


def advance(store: GraphStore, held: Lease, seq: int, delivered: int) -> bool:
    """Move the sink's cursor to `seq` (`delivered` events more); False when the lease was lost meanwhile."""
    rows = store.write(
        lambda tx: tx.run(
            "outbox_sink_advance", sink=held.sink, holder=held.holder, seq=seq, delivered=delivered, now=_iso(_now())
        )
    )
    if rows:
        held.seq = seq
    return bool(rows)


def failed(store: GraphStore, sink: str, holder: str, error: str) -> None:
    """Note the sink's last error (shown by the status route; never a secret: sinks say what failed, not how)."""
    now = _iso(_now())
    store.write(lambda tx: tx.run("outbox_sink_failed", sink=sink, holder=holder, error=error, now=now))


def park(store: GraphStore, held: Lease, parked: Iterable[tuple[OutboxRow, int, str]]) -> None:
    """Set aside events a receiver refused: (row, index of the event in it, the receiver's reason)."""
    now = _iso(_now())
    rows = [
        {
            "key": f"{held.sink}|{r.seq}|{i}",
            "sink": held.sink,
            "seq": r.seq,
            "tenantId": r.tenantId,
            "runId": run_key(r.events[i]),
            "reason": reason[:2000],
            "document": bytes(r.events[i]).decode(),
            "parked": now,
        }
        for r, i, reason in parked
    ]
    if rows:
        store.write(lambda tx: tx.run("outbox_park", rows=rows))


def prune(store: GraphStore) -> int:
    """Delete the events every sink has delivered; returns the number it pruned up to."""

    return store.write(lambda tx: _prune_delivered(tx, if_no_sink=0))


def _prune_delivered(tx: Tx, *, if_no_sink: int) -> int:
    """Delete the rows every sink has delivered (with no sink, those up to `if_no_sink`); the number pruned up to."""
    sinks = tx.run("outbox_sinks")
    upto = min(int(s["s"]["seq"]) for s in sinks) if sinks else if_no_sink
    if upto:
        tx.run("outbox_prune", upTo=upto)
    return upto


class Forgotten(msgspec.Struct, kw_only=True):
    sink: str
    #: whether the sink had a cursor to forget
    found: bool
    parked: int
    #: the events kept after it went (those some other sink has not delivered yet)
    kept: int


def forget(store: GraphStore, sink: str) -> Forgotten:
    """Forget a sink that no process delivers any more (its flag removed): its cursor and the events set aside for
    it go, and so does every event the other sinks have delivered; with no sink left, every event does (a sink
    configured later starts from what is recorded then). One transaction."""

    def work(tx: Tx) -> Forgotten:
        found = int(tx.run("outbox_sink_forget", sink=sink)[0]["forgotten"]) > 0
        parked = int(tx.run("outbox_parked_forget", sink=sink)[0]["forgotten"])
        _prune_delivered(tx, if_no_sink=EVERY_SEQ)
        kept = int(tx.run("outbox_size")[0]["events"] or 0)
        return Forgotten(sink=sink, found=found, parked=parked, kept=kept)

    return store.write(work)


def backlog(store: GraphStore, sink: str) -> tuple[int, str | None]:
    """(events not delivered by the sink, when the oldest of them was recorded), every tenant's."""
    rows = store.read(lambda tx: tx.run("outbox_backlog", sink=sink))
    return (int(rows[0]["backlog"] or 0), rows[0]["oldest"]) if rows else (0, None)


def run_key(event: msgspec.Raw) -> str:
    """What keeps an event's order among its kind: its run's id (a DatasetEvent: its dataset)."""
    try:
        view = msgspec.json.decode(event, type=_KeyView)
    except msgspec.ValidationError:  # not an event this service writes: no key rather than a sink stuck on it
        return ""
    if view.run is not None and view.run.runId:
        return view.run.runId
    dataset = view.dataset or _DatasetView()
    return f"{dataset.namespace}/{dataset.name}"


# -- status -----------------------------------------------------------------------------------------------------


def status(store: GraphStore, scope: Scope, *, parked_limit: int = 100) -> OutboxStatus:
    """Each sink's backlog of this tenant's events, its last error, and the tenant's parked events."""

    def work(tx: Tx) -> OutboxStatus:
        sinks = _sinks(tx, scope.tenant)
        parked = [
            ParkedEvent(
                sink=p["p"]["sink"],
                seq=int(p["p"]["seq"]),
                runId=p["p"].get("runId"),
                reason=p["p"]["reason"],
                parked=p["p"]["parked"],
                event=json.loads(p["p"]["document"]),
            )
            for p in tx.run("outbox_parked_of_tenant", tenantId=scope.tenant, limit=parked_limit)
        ]
        return OutboxStatus(sinks=sinks, parked=parked)

    return store.read(work)


def sinks(store: GraphStore) -> list[SinkStatus]:
    """Every sink over every tenant's events: the operator's view (`lineage outbox status`)."""
    return store.read(lambda tx: _sinks(tx, None))


def _sinks(tx: Tx, tenant: str | None) -> list[SinkStatus]:
    return [
        SinkStatus(
            name=r["s"]["key"],
            backlog=int(r["backlog"] or 0),
            oldestUndelivered=r["oldest"],
            delivered=int(r["s"].get("delivered") or 0),
            lastError=r["s"].get("lastError") or None,
            lastErrorAt=r["s"].get("lastErrorAt") or None,
            holder=r["s"].get("holder") or None,
            parked=int(r["parked"] or 0),
        )
        for r in tx.run("outbox_sink_backlogs", tenantId=tenant)
    ]
