"""The operations Kestra's asset API has and ours did not: update by Kestra's rules, search by query filters,
bulk deletes, the dependency graph around an asset, and locks. Each is one unit of work."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from app.domain import limits, paging
from app.domain.access import Scope
from app.domain.assets import Asset, AssetIn, AssetLock, AssetPage, asset_from_row
from app.domain.executions import ExecutionId
from app.domain.keys import asset_key
from app.domain.query_filters import Filter, Sort
from app.errors import BadRequest, Conflict, InvalidInput, invalid_input
from app.services import binding, outbox
from app.services.assets import (
    asset_missing,
    check_existing,
    checked_write,
    fetch_asset,
    lock_from_row,
    require_write,
    writable_asset,
)
from app.services.filtering import run_filtered
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso, parse_iso, to_iso

MAX_BULK = 10_000
DEFAULT_TTL = timedelta(hours=1)
MAX_TTL = timedelta(days=7)
MIN_TTL = timedelta(seconds=1)
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class KestraAssetIn(msgspec.Struct, kw_only=True):
    """Body of Kestra's `POST /assets` (YAML or JSON). Fields Kestra's own responses carry are accepted and
    ignored, so an asset read from Kestra can be posted here as is. A null `displayName` / `description` keeps
    the stored one; `metadata` merges into the stored keys and a key set to null is removed."""

    id: str
    type: str | None = None
    namespace: str | None = None
    displayName: str | None = None
    description: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


def merged(current: Asset | None, body: KestraAssetIn) -> AssetIn:
    """Kestra's update rules applied to what is stored."""
    stored: dict[str, Any] = msgspec.to_builtins(current) if current is not None else {}
    fields = {name: getattr(body, name) for name in ("type", "namespace", "displayName", "description")}
    fields = {name: value if value is not None else stored.get(name) for name, value in fields.items()}
    if not fields["type"]:
        raise InvalidInput("type: required to create an asset", field="type")
    metadata = {k: v for k, v in {**stored.get("metadata", {}), **body.metadata}.items() if v is not None}
    try:
        return msgspec.convert({**fields, "metadata": metadata}, AssetIn)
    except msgspec.ValidationError as exc:
        raise invalid_input(exc) from exc


def upsert_asset(
    store: GraphStore, scope: Scope, body: KestraAssetIn, *, clock: Clock = now_iso, publish: bool = False
) -> Asset:
    def work(tx: Tx) -> Asset:
        current = fetch_asset(tx, scope, body.id)
        state = checked_write(scope, body.id, merged(current, body))
        args = {"key": asset_key(scope.tenant, body.id), "tenantId": scope.tenant, "id": body.id, "now": clock()}
        row = tx.run("asset_put", **args, **state.params())[0]
        if not row["fresh"]:
            check_existing(scope, body.id, row["namespaceBefore"])
        asset = asset_from_row(row["a"])
        if publish:
            outbox.publish_assets(tx, scope.tenant, [asset], args["now"])
        return asset

    return store.write(work)


def search_assets(store: GraphStore, scope: Scope, flt: Filter, sort: Sort, *, page: int, size: int) -> AssetPage:
    def work(tx: Tx) -> AssetPage:
        total = tx.run("asset_search_count", **binding.asset_query_filter(scope, flt))[0]["total"]
        if paging.past_the_end(page, size, total):
            return AssetPage(results=[], total=int(total))
        rows = tx.run(*binding.asset_search(scope, flt, sort, page=page, size=size))
        return AssetPage(results=[asset_from_row(r["a"]) for r in rows], total=int(total))

    return run_filtered(store, flt, work)


class BulkResponse(msgspec.Struct):
    count: int


def _remove(tx: Tx, scope: Scope, asset_id: str, *, purge: bool, now: str) -> Asset | None:
    """The asset as it ends (deleted), or None when there was nothing to remove."""
    current = fetch_asset(tx, scope, asset_id)
    if current is None or (current.deleted and not purge):
        return None
    require_write(scope, current.namespace)
    key = asset_key(scope.tenant, asset_id)
    if purge:
        tx.run("asset_purge", key=key)
        return msgspec.structs.replace(current, deleted=True, updated=now)
    rows = tx.run("asset_delete", key=key, now=now, **binding.visibility(scope))
    return asset_from_row(rows[0]["a"])


def delete_assets(
    store: GraphStore,
    scope: Scope,
    ids: list[str],
    *,
    purge: bool = False,
    clock: Clock = now_iso,
    publish: bool = False,
) -> BulkResponse:
    """Soft-delete (or, with `purge`, remove with their edges) every asset named that exists; one transaction.
    `publish`: each removal's DatasetEvent goes to the outbox in that transaction."""
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"more than {MAX_BULK} ids", field="body")
    return store.write(lambda tx: _remove_all(tx, scope, ids, purge=purge, now=clock(), publish=publish))


def delete_by_query(
    store: GraphStore,
    scope: Scope,
    flt: Filter,
    *,
    purge: bool = False,
    clock: Clock = now_iso,
    publish: bool = False,
) -> BulkResponse:
    """delete_assets for the assets the filters select, read in the same transaction that deletes them."""

    def work(tx: Tx) -> BulkResponse:
        def page(n: int) -> list[dict[str, Any]]:
            return tx.run(*binding.asset_search(scope, flt, Sort("id", False), page=n, size=limits.MAX_PAGE_SIZE))

        ids = [row["a"]["id"] for row in every_page(page, what="assets")]
        return _remove_all(tx, scope, ids, purge=purge, now=clock(), publish=publish)

    return run_filtered(store, flt, work, write=True)


def _remove_all(tx: Tx, scope: Scope, ids: list[str], *, purge: bool, now: str, publish: bool) -> BulkResponse:
    removed = [a for a in (_remove(tx, scope, i, purge=purge, now=now) for i in dict.fromkeys(ids)) if a is not None]
    if publish:
        outbox.publish_assets(tx, scope.tenant, removed, now)
    return BulkResponse(count=len(removed))


def every_page(page: Callable[[int], list[dict[str, Any]]], *, what: str) -> list[dict[str, Any]]:
    """Every row of a paged query (pages of MAX_PAGE_SIZE), at most MAX_BULK: a bulk change larger than that is a
    400 asking for narrower filters, not a transaction without bound."""
    rows: list[dict[str, Any]] = []
    for n in itertools.count(1):
        batch = page(n)
        rows += batch
        if len(rows) > MAX_BULK:
            raise BadRequest(f"more than {MAX_BULK} {what} match: narrow the filters", field="filters")
        if len(batch) < limits.MAX_PAGE_SIZE:
            return rows
    raise AssertionError("unreachable")


# -- locks -------------------------------------------------------------------------------------------------------


class LockRequest(msgspec.Struct, kw_only=True):
    """Body of `POST /assets/{id}/lock`: `ttl` an ISO-8601 duration (default PT1H, at least a second, at most
    P7D); `executionId` the execution the hold is for (the rule of every execution id)."""

    ttl: Annotated[str, Meta(max_length=64)] | None = None
    executionId: ExecutionId | None = None
    flowId: Annotated[str, Meta(max_length=100)] | None = None
    flowNamespace: Annotated[str, Meta(max_length=limits.MAX_NAMESPACE)] | None = None
    taskRunId: Annotated[str, Meta(max_length=limits.MAX_ID)] | None = None


def ttl_of(text: str | None) -> timedelta:
    if not text:
        return DEFAULT_TTL
    m = _DURATION.match(text.strip().upper())
    if not m or not any(m.groups()):
        raise InvalidInput(f"ttl: {text!r} is not an ISO-8601 duration such as PT1H", field="ttl")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds  # a float: P99999999999D does not overflow it
    if not MIN_TTL.total_seconds() <= total <= MAX_TTL.total_seconds():
        raise InvalidInput(f"ttl: {text!r} is not between a second and {MAX_TTL.days} days", field="ttl")
    return timedelta(seconds=total)


def _holder(scope: Scope, execution_id: str | None) -> str:
    """Who a lock belongs to: the caller (its token), and the execution it names. What a client claims is never
    enough: another token naming the same execution is another holder."""
    return f"{scope.identity} execution:{execution_id}" if execution_id else scope.identity


def lock_asset(
    store: GraphStore, scope: Scope, asset_id: str, req: LockRequest, *, clock: Clock = now_iso
) -> AssetLock:
    """Hold an asset for one execution (or this user) until the ttl runs out; a second holder is a 409, the
    same holder asking again extends its hold."""
    ttl = ttl_of(req.ttl)
    holder = _holder(scope, req.executionId)

    def work(tx: Tx) -> AssetLock:
        now = clock()
        key = asset_key(scope.tenant, asset_id)
        rows = tx.run("asset_lock_take", key=key, tenantId=scope.tenant, **binding.visibility(scope))
        if not rows:
            raise asset_missing(scope, asset_id)
        namespace = rows[0]["namespace"]
        require_write(scope, namespace)
        lock = tx.run("asset_lock_row", key=key)[0]["l"]
        if lock["holder"] not in ("", holder) and lock["lockedUntil"] > now:
            raise Conflict(f"asset {asset_id!r} is locked by {_held_by(lock)} until {lock['lockedUntil']}", field="id")
        props = {
            "holder": holder,
            "ownerType": "EXECUTION" if req.executionId else "USER",
            "executionId": req.executionId,
            "flowId": req.flowId,
            "flowNamespace": req.flowNamespace,
            "taskRunId": req.taskRunId,
            "username": None if req.executionId else scope.principal,
            "acquiredAt": now,
            "lockedUntil": to_iso(parse_iso(now) + ttl),
        }
        tx.run("asset_lock_set", key=key, **props)
        return lock_from_row(props, namespace)

    return store.write(work)


def _admin_releases(scope: Scope, lock: dict[str, Any], execution_id: str | None) -> bool:
    """A tenant admin releases any hold: the one of the execution it names, or whichever there is when it names
    none (a hold whose holder is gone would otherwise last its ttl, up to 7 days)."""
    return scope.admin and (execution_id is None or lock.get("executionId") == execution_id)


def _held_by(lock: dict[str, Any]) -> str:
    """Who holds a lock, as a message says it (the execution, or the token's name; never a token id)."""
    return f"execution:{lock['executionId']}" if lock.get("executionId") else f"user:{lock.get('username') or '?'}"


def unlock_asset(store: GraphStore, scope: Scope, asset_id: str, execution_id: str | None) -> None:
    """Release a hold. Owner-checked: only its holder (the same token, naming the same execution) releases it, and
    a tenant admin releases any; anything else is a no-op, so a release can run unconditionally after the work."""
    holder = _holder(scope, execution_id)

    def work(tx: Tx) -> None:
        writable_asset(tx, scope, asset_id)
        rows = tx.run("asset_lock_get", key=asset_key(scope.tenant, asset_id))
        if rows and (rows[0]["l"]["holder"] == holder or _admin_releases(scope, rows[0]["l"], execution_id)):
            tx.run("asset_lock_clear", key=asset_key(scope.tenant, asset_id))

    store.write(work)


# -- dependencies --------------------------------------------------------------------------------------------------

MAX_GRAPH_NODES = 1_000


class GraphNode(msgspec.Struct, kw_only=True):
    """`uid`: `ASSET:<id>` or `FLOW:<namespace>/<flowId>`, unique in one answer."""

    uid: str
    namespace: str | None
    id: str
    type: str  # ASSET | FLOW


class GraphEdge(msgspec.Struct, kw_only=True):
    """`relation`: USED_BY (an asset a flow reads, asset -> flow) or UPSERT (an asset a flow writes,
    flow -> asset)."""

    source: str
    target: str
    relation: str


class TopologyGraph(msgspec.Struct, kw_only=True):
    nodes: list[GraphNode]
    edges: list[GraphEdge]


def asset_uid(asset_id: str) -> str:
    return "ASSET:" + asset_id


def flow_uid(namespace: str, flow_id: str) -> str:
    return "FLOW:" + namespace + "/" + flow_id


class _Drawing:
    def __init__(self) -> None:
        self.nodes: dict[str, GraphNode] = {}
        self.edges: dict[tuple[str, str, str], GraphEdge] = {}

    def asset(self, asset_id: str, namespace: str | None) -> str:
        uid = asset_uid(asset_id)
        self.nodes.setdefault(uid, GraphNode(uid=uid, namespace=namespace, id=asset_id, type="ASSET"))
        return uid

    def flow(self, namespace: str, flow_id: str) -> str:
        uid = flow_uid(namespace, flow_id)
        self.nodes.setdefault(uid, GraphNode(uid=uid, namespace=namespace, id=flow_id, type="FLOW"))
        return uid

    def edge(self, flow: str, asset: str, relation: str) -> None:
        """A READ is drawn asset -> flow (USED_BY), a WROTE flow -> asset (UPSERT)."""
        source, target, name = (asset, flow, "USED_BY") if relation == "READ" else (flow, asset, "UPSERT")
        self.edges.setdefault((source, target, name), GraphEdge(source=source, target=target, relation=name))


def asset_dependencies(
    store: GraphStore, scope: Scope, asset_id: str, *, destination_only: bool, expand_all: bool
) -> TopologyGraph:
    """The asset, the flows that read (downstream) and wrote (upstream) it, and the assets on their other side:
    one hop, or, with `expand_all`, on until nothing new is reached (at most MAX_GRAPH_NODES nodes)."""
    directions = [("READ", "WROTE")] if destination_only else [("READ", "WROTE"), ("WROTE", "READ")]

    def work(tx: Tx) -> TopologyGraph:
        start = fetch_asset(tx, scope, asset_id)
        if start is None:
            raise asset_missing(scope, asset_id)
        drawing = _Drawing()
        drawing.asset(start.id, start.namespace)
        for into_flow, out_of_flow in directions:
            _walk(tx, scope, drawing, start, into_flow, out_of_flow, expand_all)
        return TopologyGraph(nodes=list(drawing.nodes.values()), edges=list(drawing.edges.values()))

    return store.read(work)


def _walk(
    tx: Tx, scope: Scope, drawing: _Drawing, start: Asset, into_flow: str, out_of_flow: str, expand_all: bool
) -> None:
    """Breadth-first over asset -[into_flow]- flow -[out_of_flow]- asset, one level per pair of queries."""
    frontier, seen_assets, seen_flows = [asset_key(scope.tenant, start.id)], {start.id}, set[str]()
    ids = {asset_key(scope.tenant, start.id): start.id}
    while frontier and len(drawing.nodes) < MAX_GRAPH_NODES:
        flows: list[str] = []
        for row in tx.run("asset_flows", keys=frontier, **binding.visibility(scope)):
            if row["relation"] != into_flow:
                continue
            flow = f"{row['flowNamespace']}/{row['flowId']}"
            drawing.edge(drawing.flow(row["flowNamespace"], row["flowId"]), asset_uid(ids[row["assetKey"]]), into_flow)
            if flow not in seen_flows:
                seen_flows.add(flow)
                flows.append(flow)
        if not flows:
            return
        frontier = []
        args = {"tenantId": scope.tenant, "flows": flows, **binding.visibility(scope)}
        for row in tx.run("flow_assets", **args):
            if row["relation"] != out_of_flow:
                continue
            uid = drawing.asset(row["assetId"], row["assetNamespace"])
            drawing.edge(drawing.flow(row["flowNamespace"], row["flowId"]), uid, out_of_flow)
            if row["assetId"] not in seen_assets:
                seen_assets.add(row["assetId"])
                ids[row["assetKey"]] = row["assetId"]
                frontier.append(row["assetKey"])
        if not expand_all:
            return
