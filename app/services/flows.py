"""Stored flows: `PUT /flows` keeps every revision; executions can then name a flow instead of sending it."""

from __future__ import annotations

import hashlib

import msgspec

from app.domain.access import Scope
from app.domain.flows import Flow, parse_flow
from app.domain.keys import flow_key, flow_revision_key
from app.errors import Forbidden, NotFound
from app.services import binding
from app.services.lineage_state import retire_removed_tasks
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso


class FlowRecord(msgspec.Struct, kw_only=True):
    tenantId: str
    namespace: str
    id: str
    revision: int
    taskIds: list[str]
    created: str
    updated: str
    source: str | None = None


def _record(tenant: str, props: dict, *, with_source: bool = True) -> FlowRecord:
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


def put_flow(store: GraphStore, scope: Scope, source: str, *, clock: Clock = now_iso) -> tuple[FlowRecord, bool]:
    """Store a flow; a new revision only when the source changed. Returns (flow, created a revision)."""
    flow = parse_flow(source)
    if not scope.can_write(flow.namespace):
        raise Forbidden(f"no editor grant on namespace {flow.namespace!r}", field="namespace")
    key = flow_key(scope.tenant, flow.namespace, flow.id)
    fp = _fingerprint(source)
    task_ids = flow.task_ids()

    def work(tx: Tx) -> tuple[FlowRecord, bool]:
        rows = tx.run("flow_get", key=key)
        if rows and rows[0]["f"].get("fingerprint") == fp:
            return _record(scope.tenant, rows[0]["f"]), False
        revision = int(rows[0]["f"]["revision"]) + 1 if rows else 1
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
        return _record(scope.tenant, out[0]["f"]), True

    return store.write(work)


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
    return _record(scope.tenant, props)


def get_flow(store: GraphStore, scope: Scope, namespace: str, flow_id: str, revision: int | None = None) -> FlowRecord:
    return store.read(lambda tx: stored_flow(tx, scope, namespace, flow_id, revision))


def load_flow(
    store: GraphStore, scope: Scope, namespace: str, flow_id: str, revision: int | None = None
) -> tuple[Flow, int]:
    record = get_flow(store, scope, namespace, flow_id, revision)
    assert record.source is not None
    return parse_flow(record.source), record.revision


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
