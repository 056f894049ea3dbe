"""Recording executions: resolve what a flow run read and wrote, then store it in one transaction.

One execution is one write transaction: the execution node, every asset it creates or updates, every
READ / WROTE / FEEDS edge and the current-lineage bookkeeping commit together or not at all. The execution
key is unique in the database, so posting the same execution twice, or twice at once, records it once.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import AssetWrite
from app.domain.executions import (
    UNSUCCESSFUL_STATES,
    ExecutionIn,
    ExecutionPlan,
    ExecutionRecord,
    ResolvedAsset,
    TaskRun,
    TaskRunRecord,
    fingerprint_plan,
    literal_task_runs,
    new_execution_id,
    normalize_dates,
)
from app.domain.flows import FLOW_ID_PATTERN, NAMESPACE_PATTERN
from app.domain.keys import asset_key, execution_key, flow_key
from app.domain.limits import IngestLimits
from app.domain.sandbox import Sandbox
from app.domain.types import DATASET, EXTERNAL
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.openlineage.ingest import ColumnLineage
from app.services import binding
from app.services.assets import unwritable, visible_assets
from app.services.columns import write_column_lineage
from app.services.flows import flow_source
from app.services.lineage_state import SlotRun, take_outputs
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso

DEFAULT_LIMITS = IngestLimits()


def _check_flow_identity(namespace: str | None, flow_id: str | None) -> tuple[str, str]:
    if not namespace:
        raise InvalidInput("namespace: required with flowId (or send the flow YAML in `flow`)", field="namespace")
    if not flow_id:
        raise InvalidInput("flowId: required with namespace (or send the flow YAML in `flow`)", field="flowId")
    if not NAMESPACE_PATTERN.match(namespace) or len(namespace) > 256:
        raise InvalidInput(f"namespace: {namespace!r} is not a valid namespace", field="namespace")
    if not FLOW_ID_PATTERN.match(flow_id):
        raise InvalidInput(f"flowId: {flow_id!r} is not a valid flow id", field="flowId")
    return namespace, flow_id


def plan_execution(
    store: GraphStore,
    scope: Scope,
    body: ExecutionIn,
    sandbox: Sandbox | None,
    *,
    clock: Clock = now_iso,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> ExecutionPlan:
    """Resolve a request into the task runs and assets it records (no writes). A flow (sent, or stored) is
    resolved in the sandbox; resolved `taskRuns` need none."""
    now = clock()
    execution_id = body.id or new_execution_id()
    start, end = normalize_dates(body.startDate, body.endDate, now, future_skew_s=limits.future_skew_s)
    if body.flow is not None and body.taskRuns is not None:
        raise InvalidInput("flow: give either the flow YAML or resolved taskRuns, not both", field="flow")
    plan = ExecutionPlan(
        id=execution_id,
        namespace=body.namespace or "",
        flowId=body.flowId or "",
        revision=body.revision,
        state=body.state,
        startDate=start,
        endDate=end,
        inputs=dict(body.inputs),
        labels=dict(body.labels),
        taskRuns=[],
        startGiven=body.startDate is not None,
    )
    if body.taskRuns is not None:
        plan.namespace, plan.flowId = _check_flow_identity(body.namespace, body.flowId)
        plan.taskRuns = literal_task_runs(body.taskRuns)
        return plan
    if sandbox is None:
        raise InvalidInput("taskRuns: this route records resolved task runs only", field="taskRuns")
    if body.flow is not None:
        source = body.flow
    else:
        namespace, flow_id = _check_flow_identity(body.namespace, body.flowId)
        source, plan.revision = flow_source(store, scope, namespace, flow_id, body.revision)
    resolved = _resolve(sandbox, scope, body, source, plan, now)
    if body.flow is not None:
        for name, given in (("namespace", body.namespace), ("flowId", body.flowId)):
            actual = resolved["namespace"] if name == "namespace" else resolved["flowId"]
            if given is not None and given != actual:
                raise InvalidInput(f"{name}: {given!r} differs from the flow's {actual!r}", field=name)
    plan.namespace, plan.flowId, plan.taskIds = resolved["namespace"], resolved["flowId"], resolved["taskIds"]
    plan.taskRuns = msgspec.convert(resolved["taskRuns"], list[TaskRun])
    plan.inputs, plan.labels, plan.notes = resolved["inputs"], resolved["labels"], resolved["notes"]
    return plan


def _resolve(
    sandbox: Sandbox, scope: Scope, body: ExecutionIn, source: str, plan: ExecutionPlan, now: str
) -> dict[str, Any]:
    """The flow run resolved in the sandbox: its task runs, stored inputs, labels and notes."""
    args = {
        "source": source,
        "executionId": plan.id,
        "inputs": body.inputs,
        "labels": body.labels,
        "state": plan.state,
        "startDate": plan.startDate,
        "revision": plan.revision,
        "now": now,
        "taskRunList": msgspec.to_builtins(body.taskRunList),
    }
    return sandbox.run("resolve", args, owner=scope.owner, field="flow")  # type: ignore[no-any-return]


def _merge_output(
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


def write_output_asset(
    tx: Tx,
    scope: Scope,
    asset_id: str,
    decls: list[ResolvedAsset],
    *,
    default_namespace: str,
    written_by: str,
    now: str,
    default_type: str = EXTERNAL,
) -> None:
    """Create or update an asset something wrote: lock it, merge the declarations into it, store it.
    Raises Forbidden (rolling the transaction back) when its namespace, old or new, is not writable."""
    key = asset_key(scope.tenant, asset_id)
    row = tx.run("asset_claim", key=key, tenantId=scope.tenant, id=asset_id, now=now, executionId=written_by)[0]
    current = None if row["fresh"] else row["a"]
    if current is not None and not scope.can_write(current.get("namespace")):
        raise unwritable(scope, asset_id, current.get("namespace"), field="taskRuns")
    state = _merge_output(current, decls, default_namespace, default_type)
    if not scope.can_write(state.namespace):
        raise Forbidden(
            f"asset {asset_id!r} would be written to namespace {state.namespace!r}, where this token cannot write",
            field="taskRuns",
        )
    params = state.params()
    if current is not None and _stored_as(current, params["fingerprint"]):
        return  # already as this write leaves it (a job's daily run rewriting its table): nothing to store
    tx.run("asset_record_output", key=key, now=now, executionId=written_by, **params)


def _stored_as(current: dict[str, Any], fingerprint: str) -> bool:
    """Whether asset_record_output.cypher would change nothing: same content, not deleted, creator known."""
    return current.get("fingerprint") == fingerprint and not current.get("deleted") and bool(current.get("createdBy"))


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _document(scope: Scope, plan: ExecutionPlan, recorded: str) -> ExecutionRecord:
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
                inputs=_unique([a.id for a in r.inputs]),
                outputs=_unique([a.id for a in r.outputs]),
            )
            for r in plan.taskRuns
        ],
    )


def _existing(props: dict[str, Any], fingerprint: str) -> tuple[ExecutionRecord, bool]:
    if props.get("fingerprint") != fingerprint:
        raise Conflict(
            f"execution {props['id']!r} was already recorded with different content; "
            "an execution id is recorded once (post the same content again to get it back)",
            field="id",
        )
    return msgspec.json.decode(props["document"], type=ExecutionRecord), False


def _write(
    tx: Tx,
    scope: Scope,
    plan: ExecutionPlan,
    fingerprint: str,
    now: str,
    columns: ColumnLineage | None = None,
    *,
    absent: bool = False,
) -> tuple[ExecutionRecord, bool]:
    """`absent`: the caller has just seen that no execution has this id (in this transaction)."""
    tenant = scope.tenant
    ekey = execution_key(tenant, plan.id)
    rows = [] if absent else tx.run("execution_get", key=ekey)
    if rows:
        return _existing(rows[0]["e"], fingerprint)
    fkey = flow_key(tenant, plan.namespace, plan.flowId)
    flow_rows = tx.run("flow_get", key=fkey)
    latest_tasks = set(flow_rows[0]["f"].get("taskIds") or []) if flow_rows else None

    outputs: dict[str, list[ResolvedAsset]] = {}
    inputs: dict[str, ResolvedAsset] = {}
    for run in plan.taskRuns:
        for o in run.outputs:
            outputs.setdefault(o.id, []).append(o)
        for i in run.inputs:
            inputs.setdefault(i.id, i)

    for asset_id, decls in outputs.items():
        write_output_asset(
            tx,
            scope,
            asset_id,
            decls,
            default_namespace=plan.namespace,
            written_by=plan.id,
            now=now,
            default_type=DATASET if plan.openlineage is not None else EXTERNAL,
        )

    read_only = {asset_key(tenant, i): i for i in inputs if i not in outputs}
    # one lookup for every input: an input that exists keeps its type, metadata and namespace
    existing = {
        r["a"]["key"]
        for r in (tx.run("assets_by_key", keys=list(read_only), **binding.unrestricted()) if read_only else [])
    }
    for key, asset_id in read_only.items():
        if key in existing:
            continue
        decl = inputs[asset_id]
        state = AssetWrite(
            namespace=decl.namespace or plan.namespace,
            type=decl.type or EXTERNAL,
            displayName=decl.displayName,
            description=decl.description,
            metadata=dict(decl.metadata),
        )
        if not scope.can_write(state.namespace):
            raise Forbidden(
                f"input {asset_id!r} would be created in namespace {state.namespace!r}, where this token cannot write",
                field="taskRuns",
            )
        tx.run("asset_ensure_input", key=key, tenantId=tenant, id=asset_id, now=now, **state.params())

    document = _document(scope, plan, now)
    tx.run(
        "execution_create",
        key=ekey,
        tenantId=tenant,
        id=plan.id,
        namespace=plan.namespace,
        flowId=plan.flowId,
        flowRevision=plan.revision,
        state=plan.state,
        startDate=plan.startDate,
        endDate=plan.endDate,
        recorded=now,
        fingerprint=fingerprint,
        document=msgspec.json.encode(document).decode(),
    )

    has_columns = bool(columns and columns.edges)
    for run in plan.taskRuns:
        in_ids = _unique([a.id for a in run.inputs])
        out_ids = _unique([a.id for a in run.outputs])
        currency = take_outputs(
            tx,
            SlotRun(
                tenant=tenant,
                flow_key=fkey,
                namespace=plan.namespace,
                flow_id=plan.flowId,
                task_id=run.taskId,
                value=run.value,
                execution_key=ekey,
                date=plan.startDate,
                outputs=out_ids,
                unsuccessful=plan.state in UNSUCCESSFUL_STATES,
                retired=latest_tasks is not None and run.taskId not in latest_tasks,
                has_columns=has_columns,
            ),
        )
        common = {
            "executionKey": ekey,
            "executionId": plan.id,
            "namespace": plan.namespace,
            "flowId": plan.flowId,
            "taskId": run.taskId,
            "value": run.value,
            "date": plan.startDate,
        }
        if in_ids:
            tx.run("reads_create", assetKeys=[asset_key(tenant, i) for i in in_ids], **common, current=currency.reads)
        for o in out_ids:
            tx.run("wrote_create", assetKey=asset_key(tenant, o), **common, current=currency.outputs[o])
        pairs = [
            {"sourceKey": asset_key(tenant, i), "targetKey": asset_key(tenant, o), "current": currency.outputs[o]}
            for i in in_ids
            for o in out_ids
        ]
        if pairs:
            tx.run("feeds_create", pairs=pairs, **common)
        if columns is not None:
            write_column_lineage(tx, tenant, columns, edge=common, current=currency.outputs)
    return document, True


def record_again(
    tx: Tx, scope: Scope, plan: ExecutionPlan, fingerprint: str, now: str, columns: ColumnLineage | None
) -> tuple[ExecutionRecord, bool]:
    """Record an execution whose content may have changed since it was recorded (an OpenLineage run that received
    more events), in the caller's transaction: unchanged, it is left alone; changed, its old recording (node,
    READ / WROTE / FEEDS / DERIVES edges) is replaced as a whole."""
    ekey = execution_key(scope.tenant, plan.id)
    rows = tx.run("execution_get", key=ekey)
    if rows:
        if rows[0]["e"].get("fingerprint") == fingerprint:
            return _existing(rows[0]["e"], fingerprint)
        for query in ("execution_feeds_delete", "execution_derives_delete"):
            tx.run(query, executionKey=ekey)
        tx.run("execution_delete", key=ekey)
    return _write(tx, scope, plan, fingerprint, now, columns, absent=True)


def record_execution(
    store: GraphStore, scope: Scope, plan: ExecutionPlan, *, clock: Clock = now_iso
) -> tuple[ExecutionRecord, bool]:
    """Record once; returns (execution, whether this call recorded it)."""
    if not scope.can_write(plan.namespace):
        raise Forbidden(f"no editor grant on namespace {plan.namespace!r}", field="namespace")
    fingerprint = fingerprint_plan(plan)
    try:
        return store.write(lambda tx: _write(tx, scope, plan, fingerprint, clock()))
    except Conflict:
        # A concurrent request recorded the same execution first; answer as a replay would.
        rows = store.read(lambda tx: tx.run("execution_get", key=execution_key(scope.tenant, plan.id)))
        if not rows:
            raise
        return _existing(rows[0]["e"], fingerprint)


def get_execution(store: GraphStore, scope: Scope, execution_id: str) -> ExecutionRecord:
    """The execution as recorded; assets it touched in namespaces the caller cannot see are not named."""

    def work(tx: Tx) -> ExecutionRecord:
        rows = tx.run("execution_get", key=execution_key(scope.tenant, execution_id))
        if not rows or not scope.can_read(rows[0]["e"].get("namespace")):
            raise NotFound(f"execution {execution_id!r} does not exist in tenant {scope.tenant!r}", field="id")
        record = msgspec.json.decode(rows[0]["e"]["document"], type=ExecutionRecord)
        if scope.reads_all:
            return record
        visible = set(visible_assets(tx, scope, {a for t in record.taskRuns for a in (*t.inputs, *t.outputs)}))
        hidden = 0
        for t in record.taskRuns:
            hidden += sum(1 for a in (*t.inputs, *t.outputs) if a not in visible)
            t.inputs = [a for a in t.inputs if a in visible]
            t.outputs = [a for a in t.outputs if a in visible]
        if hidden:
            record.notes.append(f"{hidden} asset references in namespaces this token cannot see are not listed")
        record.openlineage = None if hidden else record.openlineage
        return record

    return store.read(work)
