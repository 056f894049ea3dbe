"""Recording executions: resolve what a flow run read and wrote, then store it (app/services/recording.py).

One execution is one unit of work: the execution node, every asset it creates or updates, every READ / WROTE /
FEEDS edge and the current-lineage bookkeeping commit together or not at all. The execution key is unique in the
database, so posting the same execution twice, or twice at once, records it once.
"""

from __future__ import annotations

from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.assets import Asset, asset_from_row
from app.domain.executions import (
    ExecutionIn,
    ExecutionPlan,
    ExecutionRecord,
    ResolvedAsset,
    TaskRun,
    fingerprint_plan,
    literal_task_runs,
    new_execution_id,
    normalize_dates,
)
from app.domain.flows import FLOW_ID_PATTERN, NAMESPACE_PATTERN
from app.domain.keys import asset_key, execution_key
from app.domain.limits import IngestLimits
from app.domain.sandbox import Sandbox
from app.domain.types import EXTERNAL
from app.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from app.services.assets import visible_assets
from app.services.flows import flow_source
from app.services.group_commit import GroupCommit
from app.services.recording import (
    Outcome,
    Recording,
    checked_output,
    existing,
    record_all,
    stored_as,
    stored_record,
)
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
) -> Asset | None:
    """Create or update one asset something wrote outside an execution (an OpenLineage DatasetEvent): lock it,
    merge the declarations into it, store it; returns it as stored, or None when it was already so. Raises
    Forbidden (rolling the transaction back) when its namespace, old or new, is not writable."""
    key = asset_key(scope.tenant, asset_id)
    row = tx.run("asset_claim", key=key, tenantId=scope.tenant, id=asset_id, now=now, executionId=written_by)[0]
    current = None if row["fresh"] else row["a"]
    params = checked_output(scope, asset_id, current, decls, default_namespace, default_type).params()
    if current is not None and stored_as(current, params["fingerprint"]):
        return None  # already as this write leaves it: nothing to store
    tx.run("asset_record_output", key=key, now=now, executionId=written_by, **params)
    created = (current or {}).get("created") or now
    return asset_from_row({**params, "tenantId": scope.tenant, "id": asset_id, "created": created, "updated": now})


def _one(outcome: Outcome) -> tuple[ExecutionRecord, bool]:
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def record_execution(
    store: GraphStore,
    scope: Scope,
    plan: ExecutionPlan,
    *,
    clock: Clock = now_iso,
    committer: GroupCommit | None = None,
    outbox: bool = False,
) -> tuple[ExecutionRecord, bool]:
    """Record once; returns (execution, whether this call recorded it). With a `committer`, concurrent recordings
    share a transaction; with `outbox`, its OpenLineage events are written with it (app/services/outbox.py)."""
    if not scope.can_write(plan.namespace):
        raise Forbidden(f"no editor grant on namespace {plan.namespace!r}", field="namespace")
    item = Recording(scope, plan, fingerprint_plan(plan), clock(), outbox=outbox)
    try:
        if committer is not None:
            return _one(committer.record(item))
        return _one(store.write(lambda tx: record_all(tx, [item]))[0])
    except Conflict:
        # A concurrent request recorded the same execution first; answer as a replay would.
        rows = store.read(lambda tx: tx.run("execution_get", key=item.key))
        if not rows:
            raise
        return existing(rows[0]["e"], item.fingerprint)


def get_execution(store: GraphStore, scope: Scope, execution_id: str) -> ExecutionRecord:
    """The execution as recorded; assets it touched in namespaces the caller cannot see are not named."""

    def work(tx: Tx) -> ExecutionRecord:
        rows = tx.run("execution_get", key=execution_key(scope.tenant, execution_id))
        if not rows or not scope.can_read(rows[0]["e"].get("namespace")):
            raise NotFound(f"execution {execution_id!r} does not exist in tenant {scope.tenant!r}", field="id")
        record = stored_record(rows[0]["e"])
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
