"""Stored flows: `PUT /flows` keeps every revision; executions can then name a flow instead of sending it."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from app.domain.access import Scope
from app.domain.flows import FlowSummary
from app.domain.keys import flow_key, flow_revision_key
from app.domain.sandbox import Sandbox
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services import binding
from app.services.lineage_state import retire_removed_tasks
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso


class FlowRecord(msgspec.Struct, kw_only=True):
    """A stored flow: ours (`taskIds`, `created`) and Kestra's flow shape (`tasks`, `disabled`, `deleted`...),
    which Kestra's clients read. Kestra's fields come from the source, so only a flow read with it has them."""

    tenantId: str
    namespace: str
    id: str
    revision: int
    taskIds: list[str]
    created: str
    updated: str
    source: str | None = None
    description: str | None = None
    labels: Any = None
    inputs: list[Any] | None = None
    tasks: list[Any] | None = None
    triggers: list[Any] | None = None
    disabled: bool = False
    deleted: bool = False


def summarize(sandbox: Sandbox, scope: Scope, source: str) -> FlowSummary:
    """A flow's YAML parsed and checked, in the sandbox (YAML is user input)."""
    answer = sandbox.run("flow", {"source": source}, owner=scope.owner, field="flow")
    return msgspec.convert(answer, FlowSummary)


def _with_document(record: FlowRecord, summary: FlowSummary) -> FlowRecord:
    """The record with the fields of Kestra's flow document, which Kestra's clients read."""
    record.description, record.labels, record.inputs = summary.description, summary.labels, summary.inputsDocument
    record.tasks, record.triggers, record.disabled = summary.tasks, summary.triggers, summary.disabled
    return record


def _record(tenant: str, props: dict, *, with_source: bool) -> FlowRecord:
    return FlowRecord(
        tenantId=tenant,
        namespace=props["namespace"],
        id=props["id"],
        revision=int(props["revision"]),
        taskIds=list(props.get("taskIds") or []),
        created=props.get("created") or props.get("updated") or "",
        updated=props.get("updated") or "",
        source=props.get("source") if with_source else None,
    )


def _fingerprint(source: str) -> str:
    return hashlib.sha256(source.strip().encode()).hexdigest()[:32]


def put_flow(
    store: GraphStore, scope: Scope, sandbox: Sandbox, source: str, *, clock: Clock = now_iso
) -> tuple[FlowRecord, bool]:
    """Store a flow; a new revision only when the source changed. Returns (flow, created a revision)."""
    return _put(store, scope, summarize(sandbox, scope, source), source, clock=clock)


def _put(
    store: GraphStore, scope: Scope, flow: FlowSummary, source: str, *, clock: Clock = now_iso
) -> tuple[FlowRecord, bool]:
    if not scope.can_write(flow.namespace):
        raise Forbidden(f"no editor grant on namespace {flow.namespace!r}", field="namespace")
    key = flow_key(scope.tenant, flow.namespace, flow.id)
    fp = _fingerprint(source)
    task_ids = flow.taskIds

    def work(tx: Tx) -> tuple[FlowRecord, bool]:
        rows = tx.run("flow_get", key=key)
        if rows and rows[0]["f"].get("fingerprint") == fp:
            return _with_document(_record(scope.tenant, rows[0]["f"], with_source=True), flow), False
        revision = int(rows[0]["f"]["revision"]) + 1 if rows else _revisions_kept(tx, scope, flow) + 1
        out = tx.run(
            "flow_put",
            key=key,
            revisionKey=flow_revision_key(scope.tenant, flow.namespace, flow.id, revision),
            tenantId=scope.tenant,
            namespace=flow.namespace,
            id=flow.id,
            revision=revision,
            source=source,
            taskIds=task_ids,
            fingerprint=fp,
            now=clock(),
        )
        retire_removed_tasks(tx, key, task_ids)
        return _with_document(_record(scope.tenant, out[0]["f"], with_source=True), flow), True

    return store.write(work)


def _revisions_kept(tx: Tx, scope: Scope, flow: FlowSummary) -> int:
    """The last revision number of a deleted flow (0 for a new one)."""
    rows = tx.run("flow_revisions", tenantId=scope.tenant, namespace=flow.namespace, id=flow.id)
    return max((int(r["r"]["revision"]) for r in rows), default=0)


def create_flow(
    store: GraphStore, scope: Scope, sandbox: Sandbox, source: str, *, clock: Clock = now_iso
) -> FlowRecord:
    """Kestra's `POST /flows`: a new flow; one stored already under that id is a 409 (update it with PUT)."""
    flow = summarize(sandbox, scope, source)
    exists = store.read(lambda tx: tx.run("flow_get", key=flow_key(scope.tenant, flow.namespace, flow.id)))
    if exists and scope.can_read(flow.namespace):
        raise Conflict(f"flow {flow.namespace}.{flow.id} exists; update it with PUT", field="id")
    return _put(store, scope, flow, source, clock=clock)[0]


def update_flow(
    store: GraphStore,
    scope: Scope,
    sandbox: Sandbox,
    namespace: str,
    flow_id: str,
    source: str,
    *,
    clock: Clock = now_iso,
) -> FlowRecord:
    """Kestra's `PUT /flows/{namespace}/{id}`: a stored flow's new revision (none when the source is unchanged)."""
    flow = summarize(sandbox, scope, source)
    for name, given, actual in (("namespace", namespace, flow.namespace), ("id", flow_id, flow.id)):
        if given != actual:
            raise InvalidInput(f"{name}: the flow's {actual!r} differs from the path's {given!r}", field=name)
    store.read(lambda tx: stored_flow(tx, scope, namespace, flow_id))  # 404 when there is nothing to update
    return _put(store, scope, flow, source, clock=clock)[0]


def delete_flow(store: GraphStore, scope: Scope, namespace: str, flow_id: str) -> None:
    def work(tx: Tx) -> None:
        stored_flow(tx, scope, namespace, flow_id)  # a flow the caller cannot see is a 404, as everywhere
        if not scope.can_write(namespace):
            raise Forbidden(f"no editor grant on namespace {namespace!r}", field="namespace")
        tx.run("flow_delete", key=flow_key(scope.tenant, namespace, flow_id))

    store.write(work)


def stored_flow(tx: Tx, scope: Scope, namespace: str, flow_id: str, revision: int | None = None) -> FlowRecord:
    if not scope.can_read(namespace):
        raise NotFound(f"flow {namespace}.{flow_id} does not exist", field="flowId")
    if revision is None:
        rows = tx.run("flow_get", key=flow_key(scope.tenant, namespace, flow_id))
        props = rows[0]["f"] if rows else None
    else:
        rows = tx.run("flow_revision_get", key=flow_revision_key(scope.tenant, namespace, flow_id, revision))
        props = rows[0]["r"] if rows else None
    if props is None:
        what = f"flow {namespace}.{flow_id}" + (f" revision {revision}" if revision is not None else "")
        raise NotFound(f"{what} is not stored in tenant {scope.tenant!r}", field="flowId")
    return _record(scope.tenant, props, with_source=True)


def get_flow(
    store: GraphStore,
    scope: Scope,
    sandbox: Sandbox,
    namespace: str,
    flow_id: str,
    revision: int | None = None,
) -> FlowRecord:
    """A stored flow with Kestra's document fields (its source parsed again, in the sandbox)."""
    record = store.read(lambda tx: stored_flow(tx, scope, namespace, flow_id, revision))
    return _with_document(record, summarize(sandbox, scope, record.source or ""))


def flow_source(
    store: GraphStore, scope: Scope, namespace: str, flow_id: str, revision: int | None = None
) -> tuple[str, int]:
    """A stored flow's YAML and revision (the latest unless one is named)."""
    record = store.read(lambda tx: stored_flow(tx, scope, namespace, flow_id, revision))
    return record.source or "", record.revision


def list_revisions(store: GraphStore, scope: Scope, namespace: str, flow_id: str) -> list[FlowRecord]:
    if not scope.can_read(namespace):
        raise NotFound(f"flow {namespace}.{flow_id} does not exist", field="flowId")
    rows = store.read(lambda tx: tx.run("flow_revisions", tenantId=scope.tenant, namespace=namespace, id=flow_id))
    if not rows:
        raise NotFound(f"flow {namespace}.{flow_id} is not stored in tenant {scope.tenant!r}", field="flowId")
    return [_record(scope.tenant, r["r"], with_source=False) for r in rows]


def list_flows(store: GraphStore, scope: Scope, namespace: str | None = None) -> list[FlowRecord]:
    rows = store.read(
        lambda tx: tx.run(
            "flow_list",
            tenantId=scope.tenant,
            anyNamespace=not namespace,
            namespace=namespace or "",
            **binding.visibility(scope),
        )
    )
    return [_record(scope.tenant, r["f"], with_source=False) for r in rows]
