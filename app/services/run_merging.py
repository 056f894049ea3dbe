"""Merging OpenLineage RunEvents into their runs, any number of runs in one transaction, set-based.

A run is the union of its events (app/openlineage/runs.py); once it has ended (or while it streams) it records its
execution, replacing an earlier recording of the same run whose content changed. A batch of runs is merged with a
fixed number of statements: one claim reads (Neo4j: locks or creates) every run, each run is decided in memory, the
runs and their parent links are stored set-based, and the executions go through app/services/recording.py's
set-based path together, after the executions of the runs recorded again (a run that received events after it
ended) are deleted, set-based too. A run the caller may not write raises its problem, so the transaction stores
nothing; a batch then merges its runs one at a time to answer each on its own (app/services/openlineage.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import fingerprint
from app.domain.executions import ExecutionIn, fingerprint_plan
from app.domain.keys import lineage_run_key
from app.domain.limits import IngestLimits
from app.errors import DomainError, invalid_input
from app.openlineage import ingest as ol_ingest
from app.openlineage.runs import RunEvents, RunView, event_hash, parent_of
from app.services.assets import require_write
from app.services.executions import DEFAULT_LIMITS, plan_execution
from app.services.recording import Recording, existing, record_all
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso


@dataclass(frozen=True)
class Ingest:
    """How events are applied: the clock, the limits, and whether recordings write the outbox."""

    clock: Clock = now_iso
    limits: IngestLimits = DEFAULT_LIMITS
    outbox: bool = False


class IngestResult(msgspec.Struct, kw_only=True):
    kind: str
    eventType: str | None = None
    #: whether this event (re)recorded the run's execution
    recorded: bool = False
    executionId: str | None = None
    runId: str | None = None
    #: the run's state after this event: RUNNING until a terminal event (COMPLETE, FAIL, ABORT) arrived
    runState: str | None = None
    assets: list[str] = msgspec.field(default_factory=list)
    note: str | None = None


@dataclass
class RunItem:
    """One RunEvent of a single request, group-committed with others (app/services/group_commit.py)."""

    store: GraphStore
    scope: Scope
    event: dict[str, Any]
    how: Ingest

    @property
    def key(self) -> tuple[str, str]:
        """Two events of one run never share a batch: the second is merged after the first, as one at a time."""
        return self.scope.tenant, str(self.event["run"]["runId"])


def merge_items(tx: Tx, items: list[RunItem]) -> list[IngestResult]:
    """Merge single events of distinct runs in the caller's transaction; consecutive ones of the same caller and
    settings together, set-based."""
    out: list[IngestResult] = []
    start = 0
    while start < len(items):
        first, end = items[start], start + 1
        while end < len(items) and items[end].scope == first.scope and items[end].how == first.how:
            end += 1
        now = first.how.clock()
        units = prepare_runs(first.store, first.scope, [[item.event] for item in items[start:end]], now, first.how)
        out += merge_runs(tx, first.store, first.scope, units, now, first.how)
        start = end
    return out


@dataclass
class _Change:
    """What merging one run's new events does: the answer, and what to store."""

    result: IngestResult
    #: the run's stored state after the merge (None: nothing changed)
    row: dict[str, Any] | None = None
    #: the run is not stored yet (LadybugDB creates it; Neo4j's claim has)
    fresh: bool = False
    parent: dict[str, Any] | None = None
    recording: Recording | None = None


@dataclass(frozen=True)
class Prepared:
    """One unit (new events of one run) with the work that reads nothing done before its transaction, outside the
    write lock: each event's hash and, for a unit that starts its run (a START among its events: a new run, as in a
    replay whose runs' events travel together), what merging them into a run with no events stored gives, or the
    problem that meets. A unit found stored, or not prepared so, merges in the transaction (a COMPLETE alone
    usually follows its START, stored already: preparing it would be work done twice)."""

    key: str
    events: list[dict[str, Any]]
    digests: list[str]
    as_new: _Change | DomainError | None


def prepare_runs(
    store: GraphStore, scope: Scope, units: list[list[dict[str, Any]]], now: str, how: Ingest
) -> list[Prepared]:
    """The units of merge_runs, prepared (no reads, no writes: call it before the transaction)."""
    return [_prepare(store, scope, events, now, how) for events in units]


def _prepare(store: GraphStore, scope: Scope, events: list[dict[str, Any]], now: str, how: Ingest) -> Prepared:
    key = lineage_run_key(scope.tenant, str(events[0]["run"]["runId"]))
    digests = [event_hash(event) for event in events]
    if not any(event.get("eventType") == "START" for event in events):
        return Prepared(key, events, digests, None)
    as_new: _Change | DomainError
    try:
        as_new = _decide(store, scope, None, key, events, digests, now, how)
    except DomainError as exc:
        as_new = exc
    return Prepared(key, events, digests, as_new)


def merge_runs(
    tx: Tx, store: GraphStore, scope: Scope, units: list[Prepared], now: str, how: Ingest
) -> list[IngestResult]:
    """Merge each unit (new events of one run, prepared with the same `now`; one unit per run) into its run, in
    the caller's transaction; one result per unit, in order. Raises the first problem a unit meets (a namespace
    the caller cannot write, a run that does not convert into an execution), leaving the transaction to roll
    back."""
    stored = _claim(tx, scope, units, now)
    changes = [_merged(store, scope, stored.get(unit.key), unit, now, how) for unit in units]
    pending = _replacing(tx, changes)
    _store_runs(tx, changes)
    outcomes = record_all(tx, [c.recording for c in pending if c.recording], absent=True)
    for change, outcome in zip(pending, outcomes, strict=True):
        if isinstance(outcome, DomainError):
            raise outcome
        record, created = outcome
        change.result.recorded, change.result.executionId = created, record.id
        change.result.assets = sorted({a for t in record.taskRuns for a in (*t.inputs, *t.outputs)})
    return [c.result for c in changes]


def _claim(tx: Tx, scope: Scope, units: list[Prepared], now: str) -> dict[str, dict[str, Any]]:
    run_ids = sorted({str(unit.events[0]["run"]["runId"]) for unit in units})
    rows = [
        {"key": lineage_run_key(scope.tenant, r), "tenantId": scope.tenant, "runId": r, "now": now} for r in run_ids
    ]
    return {r["run"]["key"]: r["run"] for r in tx.run("lineage_runs_claim", rows=rows)}


def _merged(
    store: GraphStore, scope: Scope, stored: dict[str, Any] | None, unit: Prepared, now: str, how: Ingest
) -> _Change:
    """The unit's change: as prepared when the run has no events stored (a copy: a transaction retried after a
    conflict starts from it again), else its events merged with the stored ones here."""
    if unit.as_new is None or (stored or {}).get("document"):
        return _decide(store, scope, stored, unit.key, unit.events, unit.digests, now, how)
    if isinstance(unit.as_new, DomainError):
        raise unit.as_new
    return replace(unit.as_new, result=msgspec.structs.replace(unit.as_new.result), fresh=stored is None)


def _decide(
    store: GraphStore,
    scope: Scope,
    stored: dict[str, Any] | None,
    key: str,
    new: list[dict[str, Any]],
    digests: list[str],
    now: str,
    how: Ingest,
) -> _Change:
    """Merge the events into the run as stored; a run that has ended (or streams) records its execution again."""
    run_id = str(new[0]["run"]["runId"])
    events = RunEvents.load((stored or {}).get("document"))
    previous = events.view() if events.events else None
    if previous is not None:
        require_write(scope, (stored or {}).get("namespace"))
    before = events.fingerprint() if previous else None
    for event, digest in zip(new, digests, strict=True):
        events.add(event, digest)
    view = events.view()
    namespace = ol_ingest.run_namespace(view)
    require_write(scope, namespace)
    result = IngestResult(kind="RunEvent", eventType=new[-1].get("eventType"), runId=run_id, runState=view.state)
    after = events.fingerprint()
    if after == before:
        result.note = "already received: nothing changed"
        return _Change(result)
    row = _run_row(scope, key, run_id, namespace, view, events, after, now)
    change = _Change(result, row=row, fresh=stored is None)
    if previous is None or parent_of(previous) != parent_of(view):
        change.parent = _parent_row(scope, key, view, now)
    if not view.records():
        result.note = "merged; the run records its lineage when it ends (COMPLETE, FAIL or ABORT)"
        return change
    change.recording = _recording(store, scope, view, now, how)
    if undeclared := ol_ingest.undeclared_sources(view):
        names = ", ".join(sorted(d["name"] for d in undeclared)[:5])
        result.note = (
            f"column lineage from {len(undeclared)} dataset(s) the run does not declare as inputs or outputs "
            f"({names}: a SQL parser's CTEs, say) is not recorded: they are no tables"
        )
    return change


def _recording(store: GraphStore, scope: Scope, view: RunView, now: str, how: Ingest) -> Recording:
    try:
        body = msgspec.convert(ol_ingest.execution_body(view, scope.tenant), ExecutionIn)
    except msgspec.ValidationError as exc:
        raise invalid_input(exc, "event") from exc
    limits = how.limits
    plan = plan_execution(store, scope, body, None, clock=lambda: now, limits=limits)
    plan.openlineage = view.as_event()
    columns = ol_ingest.column_lineage(view, scope.tenant, max_edges=limits.column_edges)
    content = fingerprint(fingerprint_plan(plan), msgspec.to_builtins(columns.columns), columns.edges)
    return Recording(scope, plan, content, now, columns, outbox=how.outbox)


def _run_row(
    scope: Scope, key: str, run_id: str, namespace: str, view: RunView, events: RunEvents, fingerprint: str, now: str
) -> dict[str, Any]:
    return {
        "key": key,
        "tenantId": scope.tenant,
        "runId": run_id,
        "namespace": namespace,
        "jobNamespace": view.job["namespace"],
        "jobName": view.job["name"],
        "state": view.state,
        "startTime": view.started(),
        "endTime": view.end_time or "",
        "updated": now,
        "events": len(events.events),
        "fingerprint": fingerprint,
        "document": events.dump(),
    }


def _parent_row(scope: Scope, key: str, view: RunView, now: str) -> dict[str, Any] | None:
    parent = parent_of(view)
    if parent is None or parent["runId"] == view.runId:
        return None
    return {
        "childKey": key,
        "key": lineage_run_key(scope.tenant, parent["runId"]),
        "tenantId": scope.tenant,
        "runId": parent["runId"],
        "namespace": ol_ingest.kestra_namespace(parent["namespace"]),
        "jobNamespace": parent["namespace"],
        "jobName": parent["name"],
        "now": now,
    }


def _replacing(tx: Tx, changes: list[_Change]) -> list[_Change]:
    """The changes whose execution is to be recorded: an execution recorded before with the same content is
    answered as it is; one with other content is deleted first (node, READ / WROTE / FEEDS / DERIVES edges)."""
    pending = [c for c in changes if c.recording is not None]
    if not pending:
        return []
    keys = [c.recording.key for c in pending if c.recording]
    recorded = {r["e"]["key"]: r["e"] for r in tx.run("executions_by_key", keys=keys)}
    out, stale = [], []
    for change in pending:
        item = change.recording
        assert item is not None
        stored = recorded.get(item.key)
        if stored is not None and stored.get("fingerprint") == item.fingerprint:
            record, _ = existing(stored, item.fingerprint)
            change.result.executionId = record.id
            change.result.assets = sorted({a for t in record.taskRuns for a in (*t.inputs, *t.outputs)})
            continue
        if stored is not None:
            stale.append(item.key)
        out.append(change)
    if stale:
        for query in ("executions_feeds_delete", "executions_derives_delete", "executions_delete"):
            tx.run(query, keys=stale)
    return out


def _store_runs(tx: Tx, changes: list[_Change]) -> None:
    rows = [c for c in changes if c.row is not None]
    updated = [c.row for c in rows if not c.fresh]
    created = [c.row for c in rows if c.fresh]
    if updated:
        tx.run("lineage_runs_update", rows=updated)
    if created:
        tx.run("lineage_runs_create", rows=created)
    links = [c.parent for c in changes if c.parent is not None]
    if links:
        parents = {link["key"]: {k: v for k, v in link.items() if k != "childKey"} for link in reversed(links)}
        tx.run("lineage_runs_parents_put", rows=list(parents.values()))
        tx.run("lineage_runs_parents_link", rows=[{"childKey": x["childKey"], "parentKey": x["key"]} for x in links])
