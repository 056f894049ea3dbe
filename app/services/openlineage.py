"""OpenLineage out (a pull feed of RunEvents) and in (events from any producer)."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import msgspec

from app.domain import jsonsafe
from app.domain.access import Scope
from app.domain.executions import literal_asset
from app.domain.flows import AssetDecl
from app.domain.keys import execution_key, lineage_run_key
from app.domain.limits import IngestLimits
from app.domain.types import DATASET
from app.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    StoreFailure,
    StoreUnavailable,
    TooLarge,
)
from app.openlineage import events as ol_events
from app.openlineage import ingest as ol_ingest
from app.openlineage.naming import Mappings
from app.openlineage.runs import RunEvents
from app.services import binding, outbox
from app.services.assets import visible_assets
from app.services.columns import write_columns
from app.services.executions import DEFAULT_LIMITS, write_output_asset
from app.services.group_commit import GroupCommit
from app.services.recording import stored_record
from app.services.run_merging import Ingest, IngestResult, RunItem, merge_runs, prepare_runs
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, normalize_iso, now_iso

log = logging.getLogger(__name__)

MAX_EVENTS = 1_000
#: Events in one batch (the body limit applies as well).
MAX_BATCH_EVENTS = 10_000
#: Runs of a batch merged in one transaction (a larger batch takes several).
MAX_CHUNK_RUNS = 500
DEFAULT_EVENTS = 100
FAR_FUTURE = "9999-12-31T23:59:59.999999Z"


class EventPage(msgspec.Struct, kw_only=True):
    events: list[dict[str, Any]]
    nextCursor: str | None


def _encode_cursor(date: str, key: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([date, key]).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        date, key = json.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(date, str) or not isinstance(key, str):
            raise ValueError("not a pair of strings")
        return date, key
    except (ValueError, TypeError) as exc:
        raise InvalidInput("cursor: not a cursor this service returned", field="cursor") from exc


def pull_events(
    store: GraphStore,
    scope: Scope,
    *,
    after: str | None = None,
    before: str | None = None,
    limit: int = DEFAULT_EVENTS,
    cursor: str | None = None,
    mappings: Mappings | None = None,
) -> EventPage:
    """RunEvents of recorded task runs, oldest execution first. A page ends at an execution boundary (so it
    may exceed `limit` by the events of one execution); `nextCursor` continues after it."""
    if not 1 <= limit <= MAX_EVENTS:
        raise InvalidInput(f"limit must be between 1 and {MAX_EVENTS}", field="limit")
    try:
        after_date = normalize_iso(after) if after else ""
        before_date = normalize_iso(before) if before else FAR_FUTURE
    except ValueError as exc:
        raise InvalidInput(f"after/before: not an ISO 8601 date-time ({exc})", field="after") from exc
    after_key = ""
    if cursor:
        after_date, after_key = _decode_cursor(cursor)

    def work(tx: Tx) -> EventPage:
        rows = tx.run(
            "executions_after",
            tenantId=scope.tenant,
            afterDate=after_date,
            afterKey=after_key,
            before=before_date,
            **binding.visibility(scope),
            limit=limit,
        )
        executions = [stored_record(r["e"]) for r in rows]
        assets = visible_assets(tx, scope, {a for e in executions for t in e.taskRuns for a in (*t.inputs, *t.outputs)})
        out: list[dict[str, Any]] = []
        last: tuple[str, str] | None = None
        consumed = 0
        for row, execution in zip(rows, executions, strict=True):
            if out and len(out) >= limit:
                break
            consumed += 1
            out.extend(ol_events.execution_event_dicts(execution, assets, mappings))
            last = (row["e"]["startDate"], row["e"]["key"])
        more = consumed < len(rows) or len(rows) == limit
        return EventPage(events=out, nextCursor=_encode_cursor(*last) if last and more else None)

    return store.read(work)


def ingest(
    store: GraphStore,
    scope: Scope,
    event: Any,
    *,
    clock: Clock = now_iso,
    limits: IngestLimits = DEFAULT_LIMITS,
    outbox: bool = False,
    committer: GroupCommit[RunItem] | None = None,
) -> IngestResult:
    """Apply one OpenLineage event (validated against the official schema and our limits first). With a
    `committer`, a RunEvent is merged in one transaction with concurrent requests' events of other runs."""
    kind = _checked(event, clock(), limits)
    how = Ingest(clock, limits, outbox)
    if kind == "RunEvent" and committer is not None:
        outcome = committer.record(RunItem(store, scope, event, how))
        if isinstance(outcome, Conflict):  # a run created at the same moment by another API process: again, alone
            return _apply_run(store, scope, [event], how)
        if isinstance(outcome, DomainError):
            raise outcome
        return outcome  # type: ignore[no-any-return]
    return _apply(store, scope, event, kind, how)


def _checked(event: Any, now: str, limits: IngestLimits) -> str:
    kind = ol_ingest.validate(event)
    ol_ingest.check_event(event, now=now, limits=limits)
    return kind


def _apply(store: GraphStore, scope: Scope, event: dict[str, Any], kind: str, how: Ingest) -> IngestResult:
    if kind == "RunEvent":
        return _apply_run(store, scope, [event], how)
    if kind == "DatasetEvent":
        return _apply_dataset_event(store, scope, event, how.clock(), how.outbox)
    return IngestResult(kind=kind, note="validated; job events record nothing (jobs are not modelled)")


def _apply_run(store: GraphStore, scope: Scope, events: list[dict[str, Any]], how: Ingest) -> IngestResult:
    """Merge events of one run into it, in one transaction."""
    return _apply_runs(store, scope, [events], how)[0]


def _apply_runs(store: GraphStore, scope: Scope, units: list[list[dict[str, Any]]], how: Ingest) -> list[IngestResult]:
    """Merge the events of several runs (a unit per run) into them, in one transaction, prepared before it (outside
    the write lock, where another batch's statements may be running meanwhile)."""
    now = how.clock()
    prepared = prepare_runs(store, scope, units, now, how)
    try:
        return store.write(lambda tx: merge_runs(tx, store, scope, prepared, now, how))
    except Conflict:
        # Two events of one new run (or naming one new parent) raced to create it; the loser merges again.
        return store.write(lambda tx: merge_runs(tx, store, scope, prepared, now, how))


def _apply_dataset_event(
    store: GraphStore, scope: Scope, event: dict[str, Any], now: str, publish: bool
) -> IngestResult:
    dataset = event["dataset"]
    decl = ol_ingest.asset_declaration(dataset, scope.tenant)
    try:
        asset = literal_asset(msgspec.convert(decl, AssetDecl), "dataset")
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"dataset: {exc}", field="dataset") from exc
    columns = [
        {"assetId": asset.id, "name": name, "type": type_, "description": description}
        for name, type_, description in ol_ingest.schema_columns(dataset)
    ]

    def work(tx: Tx) -> None:
        stored = write_output_asset(
            tx, scope, asset.id, [asset], default_namespace="", written_by="openlineage", now=now, default_type=DATASET
        )
        write_columns(tx, scope.tenant, columns)
        if publish and stored is not None:
            outbox.append(tx, [outbox.row(scope.tenant, "dataset", [outbox.dataset_event(stored, now)], now)])

    store.write(work)
    return IngestResult(kind="DatasetEvent", recorded=True, assets=[asset.id])


# -- batches ----------------------------------------------------------------------------------------------------


class BatchItem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The outcome of one event of a batch: its result, or the problem (RFC 9457 fields) that refused it."""

    index: int
    status: int
    result: IngestResult | None = None
    problem: dict[str, Any] | None = None


class EventBatchResult(msgspec.Struct, kw_only=True):
    received: int
    applied: int
    failed: int
    items: list[BatchItem]


def _problem(exc: DomainError) -> dict[str, Any]:
    return {
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        **({"field": exc.field} if exc.field else {}),
    }


def ingest_batch(
    store: GraphStore,
    scope: Scope,
    events: list[Any],
    *,
    clock: Clock = now_iso,
    limits: IngestLimits = DEFAULT_LIMITS,
    outbox: bool = False,
) -> EventBatchResult:
    """Validate each event on its own, then apply them in order. The events of one run in the batch are merged
    into it together (the model is cumulative: START and COMPLETE of a run cost one recording), and consecutive
    runs up to MAX_CHUNK_RUNS in one set-based transaction (app/services/run_merging.py). When one run of a chunk
    is refused, the chunk's runs are applied one transaction each, so one refused event does not stop the others;
    dataset and job events each in a transaction of their own. An unavailable database stops the batch; the
    events not attempted say so."""
    if not scope.write:
        raise Forbidden(f"this token cannot write in tenant {scope.tenant!r}", field="body")
    if len(events) > MAX_BATCH_EVENTS:
        raise TooLarge(f"a batch holds at most {MAX_BATCH_EVENTS} events (got {len(events)})", field="body")
    outcome: dict[int, BatchItem] = {}
    units: dict[Any, list[int]] = {}  # a run's runId, or an event's own index: what is applied together
    for index, event in enumerate(events):
        try:
            if isinstance(event, DomainError):  # a JSON Lines line that did not parse
                raise event
            kind = _checked(event, clock(), limits)
        except DomainError as exc:
            outcome[index] = BatchItem(index=index, status=exc.status, problem=_problem(exc))
            continue
        unit = ("run", str(event["run"]["runId"])) if kind == "RunEvent" else ("event", index)
        units.setdefault(unit, []).append(index)
    how = Ingest(clock, limits, outbox)
    pending = list(units.items())
    while pending:
        chunk = _run_chunk(pending)
        pending = pending[len(chunk) :]
        if not _apply_together(store, scope, events, chunk, outcome, how):
            for unit, indexes in chunk:
                if not _apply_unit(store, scope, events, unit, indexes, outcome, how):
                    return _result(events, outcome)
    return _result(events, outcome)


def _run_chunk(pending: list[tuple[Any, list[int]]]) -> list[tuple[Any, list[int]]]:
    """The units applied together: the runs at the head of `pending` (at most MAX_CHUNK_RUNS), or its first
    unit alone when that is not a run."""
    if pending[0][0][0] != "run":
        return pending[:1]
    end = 0
    while end < len(pending) and end < MAX_CHUNK_RUNS and pending[end][0][0] == "run":
        end += 1
    return pending[:end]


def _apply_together(
    store: GraphStore,
    scope: Scope,
    events: list[Any],
    chunk: list[tuple[Any, list[int]]],
    outcome: dict[int, BatchItem],
    how: Ingest,
) -> bool:
    """Merge a chunk of runs in one transaction; False when one of them is refused or the database is busy (the
    transaction stored nothing: the caller applies them one at a time, each answered on its own)."""
    if len(chunk) < 2 or chunk[0][0][0] != "run":
        return False
    try:
        results = _apply_runs(store, scope, [[events[i] for i in indexes] for _, indexes in chunk], how)
    except Exception:  # whatever it was, each run's own transaction meets it again and answers it
        return False
    for (_, indexes), result in zip(chunk, results, strict=True):
        for i in indexes:
            outcome[i] = BatchItem(index=i, status=200, result=_for_event(result, events[i]))
    return True


def _apply_unit(
    store: GraphStore,
    scope: Scope,
    events: list[Any],
    unit: Any,
    indexes: list[int],
    outcome: dict[int, BatchItem],
    how: Ingest,
) -> bool:
    """Apply one unit (a run's events, or another event) in a transaction of its own; False when the database is
    unavailable (every event not answered yet says so)."""
    try:
        if unit[0] == "run":
            result = _apply_run(store, scope, [events[i] for i in indexes], how)
            for i in indexes:
                outcome[i] = BatchItem(index=i, status=200, result=_for_event(result, events[i]))
        else:
            event = events[indexes[0]]
            result = _apply(store, scope, event, ol_ingest.validate(event), how)
            outcome[indexes[0]] = BatchItem(index=indexes[0], status=200, result=result)
    except StoreUnavailable as exc:
        for i in range(len(events)):
            outcome.setdefault(i, BatchItem(index=i, status=exc.status, problem=_problem(exc)))
        return False
    except DomainError as exc:
        for i in indexes:
            outcome[i] = BatchItem(index=i, status=exc.status, problem=_problem(exc))
    except Exception as exc:  # a bug: logged, and this unit's failure alone (the others were or will be applied)
        log.exception("OpenLineage batch: unexpected error applying events %s", indexes, exc_info=exc)
        failure = StoreFailure("an unexpected error occurred applying this event; it was logged on the server")
        for i in indexes:
            outcome[i] = BatchItem(index=i, status=500, problem=_problem(failure))
    return True


def _result(events: list[Any], outcome: dict[int, BatchItem]) -> EventBatchResult:
    items = [outcome[i] for i in range(len(events))]
    applied = sum(1 for i in items if i.status == 200)
    return EventBatchResult(received=len(events), applied=applied, failed=len(items) - applied, items=items)


def _for_event(result: IngestResult, event: dict[str, Any]) -> IngestResult:
    return msgspec.structs.replace(result, eventType=event.get("eventType"))


def parse_batch(body: bytes) -> list[Any]:
    """A JSON array of events, or JSON Lines (one event per line; a line that is not JSON is that event's 400)."""
    text = body.lstrip()
    if text.startswith(b"["):
        events = jsonsafe.decode(text, what="the body (a JSON array)")
        return list(events) if isinstance(events, list) else [events]
    out: list[Any] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(jsonsafe.decode(line, field=f"line {number}", what=f"line {number}"))
        except BadRequest as exc:
            out.append(exc)
    if not out:
        raise BadRequest("the body holds no events (a JSON array, or JSON Lines)", field="body")
    return out


# -- runs -------------------------------------------------------------------------------------------------------


class RunRef(msgspec.Struct, kw_only=True):
    runId: str
    jobNamespace: str | None
    jobName: str | None
    state: str | None = None
    startTime: str | None = None
    endTime: str | None = None


class RunDetail(msgspec.Struct, kw_only=True):
    runId: str
    namespace: str | None
    jobNamespace: str | None
    jobName: str | None
    state: str
    startTime: str | None
    endTime: str | None
    events: int
    eventTypes: list[str]
    executionId: str | None
    inputs: list[dict[str, str]]
    outputs: list[dict[str, str]]
    parent: RunRef | None
    children: list[RunRef]


def get_run(store: GraphStore, scope: Scope, run_id: str, *, children: int = 1000) -> RunDetail:
    """An OpenLineage run as its events say so far, with its parent and child runs (those the caller can see)."""

    def work(tx: Tx) -> RunDetail:
        key = lineage_run_key(scope.tenant, run_id)
        rows = tx.run("lineage_run_get", key=key)
        if not rows or not scope.can_read(rows[0]["r"].get("namespace")):
            raise NotFound(f"run {run_id!r} does not exist in tenant {scope.tenant!r}", field="runId")
        row, r = rows[0], rows[0]["r"]
        events = RunEvents.load(r.get("document"))
        view = events.view() if events.events else None
        kids = [c for c in tx.run("lineage_run_children", key=key, limit=children) if scope.can_read(c["namespace"])]
        recorded = bool(view and view.records() and tx.run("execution_get", key=execution_key(scope.tenant, run_id)))
        return RunDetail(
            runId=run_id,
            namespace=r.get("namespace"),
            jobNamespace=r.get("jobNamespace"),
            jobName=r.get("jobName"),
            state=r.get("state") or "UNKNOWN",
            startTime=r.get("startTime") or None,
            endTime=r.get("endTime") or None,
            events=int(r.get("events") or 0),
            eventTypes=view.event_types if view else [],
            executionId=run_id if recorded else None,
            inputs=[{"namespace": d["namespace"], "name": d["name"]} for d in (view.inputs if view else [])],
            outputs=[{"namespace": d["namespace"], "name": d["name"]} for d in (view.outputs if view else [])],
            parent=RunRef(
                runId=row["parentRunId"], jobNamespace=row["parentJobNamespace"], jobName=row["parentJobName"]
            )
            if row.get("parentRunId")
            else None,
            children=[
                RunRef(
                    runId=c["runId"],
                    jobNamespace=c["jobNamespace"],
                    jobName=c["jobName"],
                    state=c["state"],
                    startTime=c["startTime"] or None,
                    endTime=c["endTime"] or None,
                )
                for c in kids
            ],
        )

    return store.read(work)
