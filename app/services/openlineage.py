"""OpenLineage out (a pull feed of RunEvents) and in (events from any producer)."""

from __future__ import annotations

import base64
import json
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import Asset, asset_from_row
from app.domain.executions import ExecutionIn, ExecutionRecord, literal_asset
from app.domain.flows import AssetDecl
from app.domain.keys import asset_key
from app.domain.templating import Renderer
from app.errors import InvalidInput
from app.openlineage import events as ol_events
from app.openlineage import ingest as ol_ingest
from app.openlineage.naming import Mappings
from app.services import binding
from app.services.executions import plan_execution, record_execution, write_output_asset
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, normalize_iso, now_iso

MAX_EVENTS = 1_000
DEFAULT_EVENTS = 100
FAR_FUTURE = "9999-12-31T23:59:59.999999Z"


class EventPage(msgspec.Struct, kw_only=True):
    events: list[dict[str, Any]]
    nextCursor: str | None


class IngestResult(msgspec.Struct, kw_only=True):
    kind: str
    eventType: str | None = None
    recorded: bool = False
    executionId: str | None = None
    assets: list[str] = msgspec.field(default_factory=list)
    note: str | None = None


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


def load_assets(tx: Tx, scope: Scope, ids: set[str]) -> dict[str, Asset]:
    if not ids:
        return {}
    rows = tx.run("assets_by_key", keys=sorted(asset_key(scope.tenant, i) for i in ids), **binding.visibility(scope))
    return {r["a"]["id"]: asset_from_row(r["a"]) for r in rows}


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
        executions = [msgspec.json.decode(r["e"]["document"], type=ExecutionRecord) for r in rows]
        assets = load_assets(tx, scope, {a for e in executions for t in e.taskRuns for a in (*t.inputs, *t.outputs)})
        out: list[dict[str, Any]] = []
        last: tuple[str, str] | None = None
        consumed = 0
        for row, execution in zip(rows, executions, strict=True):
            if out and len(out) >= limit:
                break
            consumed += 1
            starts, ends = [], []
            for task_run in execution.taskRuns:
                start, *end = ol_events.task_run_events(execution, task_run, assets, mappings)
                starts.append(ol_events.to_dict(start))
                ends.extend(ol_events.to_dict(e) for e in end)
            out.extend(starts + ends)
            last = (row["e"]["startDate"], row["e"]["key"])
        more = consumed < len(rows) or len(rows) == limit
        return EventPage(events=out, nextCursor=_encode_cursor(*last) if last and more else None)

    return store.read(work)


def ingest(store: GraphStore, scope: Scope, event: Any, renderer: Renderer, *, clock: Clock = now_iso) -> IngestResult:
    kind = ol_ingest.validate(event)
    if kind == "RunEvent":
        body = ol_ingest.run_event_execution(event, scope.tenant)
        if body is None:
            return IngestResult(
                kind=kind, eventType=event.get("eventType"), note="validated; only COMPLETE run events record lineage"
            )
        plan = plan_execution(store, scope, msgspec.convert(body, ExecutionIn), renderer, clock=clock)
        plan.openlineage = event
        record, created = record_execution(store, scope, plan, clock=clock)
        ids = sorted({a for t in record.taskRuns for a in (*t.inputs, *t.outputs)})
        return IngestResult(kind=kind, eventType="COMPLETE", recorded=created, executionId=record.id, assets=ids)
    if kind == "DatasetEvent":
        decl = ol_ingest.asset_declaration(event["dataset"], scope.tenant, output=True)
        try:
            asset = literal_asset(msgspec.convert(decl, AssetDecl), "dataset")
        except msgspec.ValidationError as exc:
            raise InvalidInput(f"dataset: {exc}", field="dataset") from exc
        now = clock()
        store.write(
            lambda tx: write_output_asset(
                tx, scope, asset.id, [asset], default_namespace="", written_by="openlineage", now=now
            )
        )
        return IngestResult(kind=kind, recorded=True, assets=[asset.id])
    return IngestResult(kind=kind, note="validated; job events record nothing (jobs are not modelled)")
