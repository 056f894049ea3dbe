"""Storing executions, set-based: any number of them in one transaction with a fixed number of statements.

One execution is one unit of meaning: its node, every asset it creates or updates, every READ / WROTE / FEEDS edge
and the current-lineage bookkeeping are written together or not at all. A batch (group-committed single requests,
a replay) reads everything it needs in five statements, decides each recording in order in memory, exactly as if
they had been written one transaction after another, then writes the outcome in about ten more. A recording that
is refused (a namespace the token cannot write, a replay with other content) is that item's problem: it leaves no
trace and the others are written. The execution key is unique in the database, so a concurrent recording of the
same id elsewhere fails the batch, and the caller retries each item alone (GroupCommit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import AssetWrite, asset_from_row
from app.domain.executions import UNSUCCESSFUL_STATES, ExecutionPlan, ExecutionRecord, ResolvedAsset, TaskRunRecord
from app.domain.keys import asset_key, execution_key, flow_key
from app.domain.types import DATASET, EXTERNAL
from app.errors import Conflict, DomainError, Forbidden
from app.openlineage.ingest import QUALITY_FACET, ColumnLineage
from app.packing import pack, unpack
from app.services import binding, outbox
from app.services.assets import unwritable
from app.services.columns import RunColumns, write_column_lineage
from app.services.lineage_state import Holders, SlotRun
from app.store.base import Tx
from app.store.model import ASSET_PROPERTIES, EXECUTION_PROPERTIES

Outcome = tuple[ExecutionRecord, bool] | DomainError


@dataclass
class Recording:
    """One execution to store: who asks, what, its content fingerprint, when."""

    scope: Scope
    plan: ExecutionPlan
    fingerprint: str
    now: str
    columns: ColumnLineage | None = None
    #: write its OpenLineage events to the outbox (app/services/outbox.py) with it
    outbox: bool = False

    @property
    def key(self) -> str:
        return execution_key(self.scope.tenant, self.plan.id)

    @property
    def flow_key(self) -> str:
        return flow_key(self.scope.tenant, self.plan.namespace, self.plan.flowId)


def merge_output(
    current: dict[str, Any] | None, decls: list[ResolvedAsset], default_namespace: str, default_type: str
) -> AssetWrite:
    """Declared fields win; declared metadata merges into the existing keys. A new asset that declares no type
    takes `default_type`; an existing one keeps its own."""
    if current is not None:
        namespace, type_ = current.get("namespace") or "", current.get("type")
        display, description = current.get("displayName"), current.get("description")
        metadata = json.loads(current.get("metadata") or "{}")
    else:
        namespace, type_, display, description, metadata = "", None, None, None, {}
    for d in decls:
        namespace = d.namespace or namespace
        type_ = d.type or type_
        display = d.displayName if d.displayName is not None else display
        description = d.description if d.description is not None else description
        metadata = {**metadata, **d.metadata}
    if current is None and not namespace:
        namespace = default_namespace
    return AssetWrite(
        namespace=namespace, type=type_ or default_type, displayName=display, description=description, metadata=metadata
    )


def checked_output(
    scope: Scope,
    asset_id: str,
    current: dict[str, Any] | None,
    decls: list[ResolvedAsset],
    default_namespace: str,
    default_type: str,
) -> AssetWrite:
    """The state an output is written in; raises Forbidden when its namespace, old or new, is not writable."""
    if current is not None and not scope.can_write(current.get("namespace")):
        raise unwritable(scope, asset_id, current.get("namespace"), field="taskRuns")
    state = merge_output(current, decls, default_namespace, default_type)
    if not scope.can_write(state.namespace):
        raise Forbidden(
            f"asset {asset_id!r} would be written to namespace {state.namespace!r}, where this token cannot write",
            field="taskRuns",
        )
    return state


def stored_as(current: dict[str, Any], fingerprint: str) -> bool:
    """Whether writing this content would change nothing: same content, not deleted, creator known."""
    return current.get("fingerprint") == fingerprint and not current.get("deleted") and bool(current.get("createdBy"))


def unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def existing(props: dict[str, Any], fingerprint: str) -> tuple[ExecutionRecord, bool]:
    """A replay: the execution as first recorded when the content is the same; a 409 when it differs."""
    if props.get("fingerprint") != fingerprint:
        raise _conflict(props["id"])
    return stored_record(props), False


#: The record's fields an Execution node holds as properties of its own, so its stored document leaves them out: a
#: checkpoint rewrites the document column whole, and these fields were most of a Kestra execution's
#: (docs/measurements.md).
NODE_FIELDS = tuple(f for f in ExecutionRecord.__struct_fields__ if f in EXECUTION_PROPERTIES)


def stored_document(record: ExecutionRecord) -> str:
    """An execution's document as stored: the record without NODE_FIELDS, packed (app/packing.py), as an OpenLineage
    run's is rewritten with its run; text when it reports data-quality results, which cypher/asset_checks.cypher finds
    by their text."""
    text = msgspec.json.encode({k: v for k, v in msgspec.structs.asdict(record).items() if k not in NODE_FIELDS})
    return text.decode() if QUALITY_FACET.encode() in text else pack(text)


def stored_record(props: dict[str, Any]) -> ExecutionRecord:
    """The execution an Execution node holds: its NODE_FIELDS and its document (packed or not; a document stored
    whole, as before NODE_FIELDS were left out, holds them too)."""
    body = msgspec.json.decode(unpack(props["document"]))
    return msgspec.convert({**{k: props.get(k) for k in NODE_FIELDS}, **body}, ExecutionRecord)


def _conflict(execution_id: str) -> Conflict:
    return Conflict(
        f"execution {execution_id!r} was already recorded with different content; "
        "an execution id is recorded once (post the same content again to get it back)",
        field="id",
    )


def document(scope: Scope, plan: ExecutionPlan, recorded: str) -> ExecutionRecord:
    return ExecutionRecord(
        tenantId=scope.tenant,
        id=plan.id,
        namespace=plan.namespace,
        flowId=plan.flowId,
        flowRevision=plan.revision,
        state=plan.state,
        startDate=plan.startDate,
        endDate=plan.endDate,
        recorded=recorded,
        inputs=plan.inputs,
        labels=plan.labels,
        notes=plan.notes,
        openlineage=plan.openlineage,
        taskRuns=[
            TaskRunRecord(
                taskId=r.taskId,
                value=r.value or None,
                inputs=unique([a.id for a in r.inputs]),
                outputs=unique([a.id for a in r.outputs]),
            )
            for r in plan.taskRuns
        ],
    )


def slot_runs(item: Recording, latest_tasks: set[str] | None) -> list[tuple[SlotRun, list[str]]]:
    """Each task run of a recording as current lineage sees it, with the ids of what it read (distinct)."""
    plan, tenant = item.plan, item.scope.tenant
    has_columns = bool(item.columns and item.columns.edges)
    return [
        (
            SlotRun(
                tenant=tenant,
                flow_key=item.flow_key,
                namespace=plan.namespace,
                flow_id=plan.flowId,
                task_id=run.taskId,
                value=run.value,
                execution_key=item.key,
                date=plan.startDate,
                outputs=unique([a.id for a in run.outputs]),
                unsuccessful=plan.state in UNSUCCESSFUL_STATES,
                retired=latest_tasks is not None and run.taskId not in latest_tasks,
                has_columns=has_columns,
            ),
            unique([a.id for a in run.inputs]),
        )
        for run in plan.taskRuns
    ]


@dataclass
class _Edges:
    reads: list[dict[str, Any]] = field(default_factory=list)
    wrote: list[dict[str, Any]] = field(default_factory=list)
    feeds: list[dict[str, Any]] = field(default_factory=list)
    columns: list[RunColumns] = field(default_factory=list)


class _Batch:
    """The state a batch of recordings leaves the graph in, decided in memory in the batch's order."""

    def __init__(self, tx: Tx, items: list[Recording], *, absent: bool) -> None:
        self.tx = tx
        self.items = items
        self.known = {} if absent else self._rows("executions_by_key", "e", [i.key for i in items])
        self.flows = self._rows("flows_by_key", "f", [i.flow_key for i in items])
        self.claimed = self._claim()
        # key -> the asset as recording one at a time would find it (None or absent: it would not exist)
        self.assets: dict[str, dict[str, Any] | None] = {
            k: None if a.get("fingerprint") is None else a for k, a in self.claimed.items()
        }
        self.assets.update(self._inputs())
        self.stored = set(self.assets)  # the nodes that exist in the database, a claim's new ones included
        self.dirty: set[str] = set()
        self.recorded: dict[str, tuple[str, ExecutionRecord]] = {}
        self.executions: list[dict[str, Any]] = []
        self.holders = Holders(self._rows("task_slots_get", "s", self._slot_keys()))
        self.edges = _Edges()
        self.published: list[tuple[Recording, ExecutionRecord]] = []

    def _rows(self, query: str, column: str, keys: list[str]) -> dict[str, dict[str, Any]]:
        keys = unique(keys)
        return {r[column]["key"]: r[column] for r in (self.tx.run(query, keys=keys) if keys else [])}

    def _claim(self) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, str]] = {}
        for item in self.items:
            for run in item.plan.taskRuns:
                for o in run.outputs:
                    key = asset_key(item.scope.tenant, o.id)
                    rows.setdefault(key, {"key": key, "tenantId": item.scope.tenant, "id": o.id})
        if not rows:
            return {}
        return {r["a"]["key"]: r["a"] for r in self.tx.run("assets_claim", rows=list(rows.values()))}

    def _inputs(self) -> dict[str, dict[str, Any]]:
        keys = {
            asset_key(item.scope.tenant, i.id) for item in self.items for run in item.plan.taskRuns for i in run.inputs
        } - set(self.assets)
        if not keys:
            return {}
        rows = self.tx.run("assets_by_key", keys=sorted(keys), **binding.unrestricted())
        return {r["a"]["key"]: r["a"] for r in rows}

    def _slot_keys(self) -> list[str]:
        keys = []
        for item in self.items:
            for run, _ in slot_runs(item, None):
                keys += run.targets().values()
        return keys

    # -- deciding, item by item ---------------------------------------------------------------------------------

    def decide(self) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for item in self.items:
            try:
                outcomes.append(self._decide(item))
            except DomainError as exc:
                outcomes.append(exc)
        return outcomes

    def _decide(self, item: Recording) -> tuple[ExecutionRecord, bool]:
        if item.key in self.known:
            return existing(self.known[item.key], item.fingerprint)
        if item.key in self.recorded:  # the same execution twice in one batch: the second is a replay
            fingerprint, record = self.recorded[item.key]
            if fingerprint != item.fingerprint:
                raise _conflict(item.plan.id)
            return record, False
        changes = self._assets(item)
        self.assets.update(changes)  # only now: a refused recording changes nothing
        self.dirty.update(changes)
        record = document(item.scope, item.plan, item.now)
        self.recorded[item.key] = (item.fingerprint, record)
        self.executions.append(self._execution_row(item, record))
        self._lineage(item)
        if item.outbox:
            self.published.append((item, record))
        return record, True

    def _assets(self, item: Recording) -> dict[str, dict[str, Any]]:
        """What the recording does to its assets: outputs merged, missing inputs created. Raises when the token
        cannot write a namespace involved."""
        plan, scope = item.plan, item.scope
        outputs: dict[str, list[ResolvedAsset]] = {}
        inputs: dict[str, ResolvedAsset] = {}
        for run in plan.taskRuns:
            for o in run.outputs:
                outputs.setdefault(o.id, []).append(o)
            for i in run.inputs:
                inputs.setdefault(i.id, i)
        default_type = DATASET if plan.openlineage is not None else EXTERNAL
        changes: dict[str, dict[str, Any]] = {}
        for asset_id, decls in outputs.items():
            key = asset_key(scope.tenant, asset_id)
            node = self._output(item, asset_id, self.assets.get(key), decls, default_type)
            if node is not None:
                changes[key] = node
        for asset_id, decl in inputs.items():
            key = asset_key(scope.tenant, asset_id)
            if asset_id not in outputs and self.assets.get(key) is None and key not in changes:
                changes[key] = self._input(item, asset_id, decl)
        return changes

    def _output(
        self,
        item: Recording,
        asset_id: str,
        stored: dict[str, Any] | None,
        decls: list[ResolvedAsset],
        default_type: str,
    ) -> dict[str, Any] | None:
        plan = item.plan
        params = checked_output(item.scope, asset_id, stored, decls, plan.namespace, default_type).params()
        if stored is not None and stored_as(stored, params["fingerprint"]):
            return None  # already as this write leaves it (a job's daily run rewriting its table)
        node = dict(stored) if stored is not None else self._new_node(item, asset_id)
        unchanged = node.get("fingerprint") == params["fingerprint"] and node.get("deleted") is False
        node.update(params)
        node["deleted"] = False
        node["createdBy"] = node.get("createdBy") or plan.id
        if not unchanged:
            node["updated"], node["version"] = item.now, (node.get("version") or 0) + 1
        return node

    @staticmethod
    def _new_node(item: Recording, asset_id: str) -> dict[str, Any]:
        tenant = item.scope.tenant
        return {
            "key": asset_key(tenant, asset_id),
            "tenantId": tenant,
            "id": asset_id,
            "created": item.now,
            "updated": item.now,
            "deleted": False,
            "createdBy": item.plan.id,
            "version": 0,
        }

    @staticmethod
    def _input(item: Recording, asset_id: str, decl: ResolvedAsset) -> dict[str, Any]:
        """An asset read that does not exist: created as declared (External unless a type is given)."""
        state = AssetWrite(
            namespace=decl.namespace or item.plan.namespace,
            type=decl.type or EXTERNAL,
            displayName=decl.displayName,
            description=decl.description,
            metadata=dict(decl.metadata),
        )
        if not item.scope.can_write(state.namespace):
            raise Forbidden(
                f"input {asset_id!r} would be created in namespace {state.namespace!r}, where this token cannot write",
                field="taskRuns",
            )
        tenant = item.scope.tenant
        node = {"key": asset_key(tenant, asset_id), "tenantId": tenant, "id": asset_id, "createdBy": None}
        return {**node, **state.params(), "created": item.now, "updated": item.now, "deleted": False, "version": 1}

    @staticmethod
    def _execution_row(item: Recording, record: ExecutionRecord) -> dict[str, Any]:
        plan = item.plan
        return {
            "key": item.key,
            "tenantId": item.scope.tenant,
            "id": plan.id,
            "namespace": plan.namespace,
            "flowId": plan.flowId,
            "flowRevision": plan.revision,
            "state": plan.state,
            "startDate": plan.startDate,
            "endDate": plan.endDate,
            "recorded": item.now,
            "fingerprint": item.fingerprint,
            "document": stored_document(record),
        }

    def _lineage(self, item: Recording) -> None:
        """The recording's edges, each current or not as its task slot's holders decide."""
        flow = self.flows.get(item.flow_key)
        latest_tasks = set(flow.get("taskIds") or []) if flow is not None else None
        tenant, plan = item.scope.tenant, item.plan
        for run, in_ids in slot_runs(item, latest_tasks):
            currency = self.holders.take(run)
            common = {
                "executionKey": item.key,
                "executionId": plan.id,
                "namespace": plan.namespace,
                "flowId": plan.flowId,
                "taskId": run.task_id,
                "value": run.value,
                "date": plan.startDate,
            }
            for i in in_ids:
                self.edges.reads.append({**common, "assetKey": asset_key(tenant, i), "current": currency.reads})
            for o in run.outputs:
                self.edges.wrote.append({**common, "assetKey": asset_key(tenant, o), "current": currency.outputs[o]})
                self.edges.feeds += [
                    {**common, "sourceKey": asset_key(tenant, i), "targetKey": asset_key(tenant, o),
                     "current": currency.outputs[o]}
                    for i in in_ids
                ]  # fmt: skip
            if item.columns is not None:
                self.edges.columns.append(RunColumns(tenant, item.columns, common, currency.outputs))

    # -- writing, set-based ---------------------------------------------------------------------------------------

    def write(self) -> None:
        tx = self.tx
        updated = [_asset_row(self.assets[k]) for k in self.dirty if k in self.stored]
        created = [_asset_row(self.assets[k]) for k in self.dirty if k not in self.stored]
        if updated:
            tx.run("assets_update", rows=updated)
        if created:
            tx.run("assets_create", rows=created)
        unclaimed = [k for k, a in self.claimed.items() if a.get("fingerprint") is None and k not in self.dirty]
        if unclaimed:
            tx.run("assets_unclaim", keys=unclaimed)
        if self.executions:
            tx.run("executions_store", rows=self.executions)
        for query, rows in (
            ("read_edges_create", self.edges.reads),
            ("wrote_edges_create", self.edges.wrote),
            ("feeds_edges_create", self.edges.feeds),
        ):
            if rows:
                tx.run(query, rows=rows)
        if self.edges.columns:
            write_column_lineage(tx, self.edges.columns)
        self.holders.store(tx)
        outbox.append(tx, [self._outbox_row(item, record) for item, record in self.published])

    def _outbox_row(self, item: Recording, record: ExecutionRecord) -> dict[str, Any]:
        tenant = item.scope.tenant
        ids = {a for run in record.taskRuns for a in (*run.inputs, *run.outputs)}
        nodes = {i: self.assets.get(asset_key(tenant, i)) for i in ids}
        assets = {i: asset_from_row(n) for i, n in nodes.items() if n is not None and not n.get("deleted")}
        return outbox.row(tenant, "run", outbox.execution_events(record, assets), item.now)


def _asset_row(node: dict[str, Any] | None) -> dict[str, Any]:
    """Every property of the node, as assets_update.cypher and assets_create.cypher write them."""
    return {f: (node or {}).get(f) for f in ASSET_PROPERTIES}


def record_all(tx: Tx, items: list[Recording], *, absent: bool = False) -> list[Outcome]:
    """Store every recording of `items` in the caller's transaction, set-based; one outcome per item, in order: the
    execution and whether this call recorded it, or the problem that refused that item alone. `absent`: the caller
    has just seen that none of these executions exists (in this transaction)."""
    batch = _Batch(tx, items, absent=absent)
    outcomes = batch.decide()
    batch.write()
    return outcomes
