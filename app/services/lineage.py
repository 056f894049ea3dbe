"""Impact, upstream and lineage subgraphs: breadth-first searches in the database (cypher/*/impact.cypher,
upstream.cypher, lineage_*.cypher), shaped here.

Which assets are reached, their distances, counts, filters and which of them are redacted are all decided
inside the Cypher, with the caller's visible namespaces as parameters. The one thing decided here is the
masking of ids *inside* a route (`via`) by the same namespace rule, because LadybugDB lambdas cannot take
query parameters.
"""

from __future__ import annotations

import json
from typing import Any, Literal, NamedTuple

from app.domain.access import Scope
from app.domain.keys import asset_key
from app.domain.lineage import (
    DEFAULT_NODE_CAP,
    DEFAULT_PAGE_SIZE,
    MAX_NODE_CAP,
    MAX_PAGE_SIZE,
    GraphEdge,
    GraphNode,
    Hop,
    ImpactItem,
    ImpactPage,
    LineageGraph,
    Traversal,
)
from app.errors import InvalidInput, NotFound
from app.services.assets import filter_params
from app.store.base import GraphStore, Tx

Direction = Literal["downstream", "upstream"]


class _Names(NamedTuple):
    distances: str
    page: str
    via: str
    direct: str
    reach: str


_QUERIES = {
    "downstream": _Names("impact_distances", "impact", "impact_via", "impact_direct", "lineage_down"),
    "upstream": _Names("upstream_distances", "upstream", "upstream_via", "upstream_direct", "lineage_up"),
}


def _require_visible(tx: Tx, scope: Scope, asset_id: str) -> dict[str, Any]:
    rows = tx.run("asset_get", key=asset_key(scope.tenant, asset_id), **scope.visibility())
    if not rows:
        raise NotFound(f"asset {asset_id!r} does not exist in tenant {scope.tenant!r}", field="id")
    return rows[0]["a"]  # type: ignore[no-any-return]


def _route(scope: Scope, start: str, target: str, row: dict[str, Any], direction: Direction) -> list[Hop]:
    """Hops from the start asset to the target, each as the task run that turned `from` into `to`; assets
    and task runs in namespaces the caller cannot see are masked."""
    chain: list[str | None] = [start]
    for node_id, namespace in zip(row["nodeIds"] or [], row["nodeNamespaces"] or [], strict=True):
        chain.append(node_id if scope.can_read(namespace) else None)
    chain.append(target)
    hops = zip(
        row["executionIds"] or [],
        row["namespaces"] or [],
        row["flowIds"] or [],
        row["taskIds"] or [],
        row["valuesOf"] or [],
        row["dates"] or [],
        strict=True,
    )
    route = []
    for i, (execution_id, namespace, flow_id, task_id, value, date) in enumerate(hops):
        a, b = chain[i], chain[i + 1]
        source, dest = (a, b) if direction == "downstream" else (b, a)
        if scope.can_read(namespace):
            route.append(
                Hop(
                    source=source,
                    target=dest,
                    flowId=flow_id,
                    namespace=namespace,
                    taskId=task_id,
                    executionId=execution_id,
                    value=value or None,
                    date=date,
                    redacted=a is None or b is None,
                )
            )
        else:
            route.append(Hop(source=source, target=dest, redacted=True))
    return route


def impact(
    store: GraphStore,
    scope: Scope,
    asset_id: str,
    direction: Direction,
    traversal: Traversal,
    *,
    type: str | None = None,
    namespace: str | None = None,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
    with_via: bool = True,
) -> ImpactPage:
    if page < 1:
        raise InvalidInput("page starts at 1", field="page")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"size must be between 1 and {MAX_PAGE_SIZE}", field="size")
    return store.read(
        lambda tx: _impact(
            tx,
            scope,
            asset_id,
            direction,
            traversal,
            type=type,
            namespace=namespace,
            page=page,
            size=size,
            with_via=with_via,
        )
    )


def _page_reach(distances: list[dict[str, Any]], skip: int, limit: int) -> int | None:
    """The distance of the last result on the page [skip, skip + limit), from the per-distance counts."""
    seen = 0
    last = None
    for row in distances:
        if seen >= skip + limit:
            break
        last = int(row["distance"])
        seen += int(row["reached"])
    return last if seen > skip else None


def _impact(
    tx: Tx,
    scope: Scope,
    asset_id: str,
    direction: Direction,
    traversal: Traversal,
    *,
    type: str | None,
    namespace: str | None,
    page: int,
    size: int,
    with_via: bool,
) -> ImpactPage:
    """Counts per distance first (one search), then the page's rows and routes with the search cut at the
    page's last distance: for a hub, the first page lies one or two hops away."""
    names = _QUERIES[direction]
    key = asset_key(scope.tenant, asset_id)
    _require_visible(tx, scope, asset_id)
    filters = {**filter_params(type, namespace), **scope.visibility()}
    distances = tx.run(traversal.query(names.distances), key=key, **traversal.params(), **filters)
    total = sum(int(r["reached"]) for r in distances)
    skip = (page - 1) * size
    reach = _page_reach(distances, skip, size)
    items: list[ImpactItem] = []
    if reach is not None:
        rows = tx.run(traversal.query(names.page), key=key, **traversal.params(reach), **filters, skip=skip, limit=size)
        for r in rows:
            if r["visible"]:
                items.append(
                    ImpactItem(
                        distance=int(r["distance"]),
                        id=r["id"],
                        type=r["type"],
                        namespace=r["namespace"] or None,
                        displayName=r["displayName"],
                        deleted=bool(r["deleted"]),
                    )
                )
            else:
                items.append(ImpactItem(distance=int(r["distance"]), redacted=True))
    visible = [i for i in items if i.id is not None]
    if with_via and visible:
        targets = [asset_key(scope.tenant, i.id) for i in visible if i.id is not None]
        if reach == 1:
            edges = tx.run(
                traversal.query(names.direct), key=key, targets=targets, **_without_depth(traversal.params())
            )
            found = _direct_routes(edges)
        else:
            found = {
                r["key"]: r
                for r in tx.run(traversal.query(names.via), key=key, **traversal.params(reach), targets=targets)
            }
        for item in visible:
            assert item.id is not None
            route = found.get(asset_key(scope.tenant, item.id))
            if route is not None:
                item.via = _route(scope, asset_id, item.id, route, direction)
    return ImpactPage(
        asset=asset_id,
        direction=direction,
        depth=traversal.depth,
        history=traversal.history,
        after=traversal.after,
        before=traversal.before,
        total=total,
        page=page,
        size=size,
        results=items,
    )


def _without_depth(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != "maxDepth"}


def _direct_routes(edges: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One-hop routes from edge rows, in the shape of a route row; the latest edge per result is shown."""
    out: dict[str, dict[str, Any]] = {}
    for e in sorted(edges, key=lambda e: (e["date"] or "", e["executionId"] or ""), reverse=True):
        out.setdefault(
            e["key"],
            {
                "nodeIds": [],
                "nodeNamespaces": [],
                "executionIds": [e["executionId"]],
                "namespaces": [e["namespace"]],
                "flowIds": [e["flowId"]],
                "taskIds": [e["taskId"]],
                "valuesOf": [e["value"]],
                "dates": [e["date"]],
            },
        )
    return out


def count_reached(tx: Tx, scope: Scope, asset_id: str, direction: Direction, traversal: Traversal) -> int:
    names = _QUERIES[direction]
    rows = tx.run(
        traversal.query(names.distances),
        key=asset_key(scope.tenant, asset_id),
        **traversal.params(),
        **filter_params(None, None),
        **scope.visibility(),
    )
    return sum(int(r["reached"]) for r in rows)


def lineage_graph(
    store: GraphStore,
    scope: Scope,
    asset_id: str,
    traversal: Traversal,
    *,
    direction: Literal["both", "up", "down"] = "both",
    node_cap: int = DEFAULT_NODE_CAP,
) -> LineageGraph:
    """Assets and task runs around one asset, for drawing: upstream on one side, downstream on the other."""
    if not 1 <= node_cap <= MAX_NODE_CAP:
        raise InvalidInput(f"limit must be between 1 and {MAX_NODE_CAP}", field="limit")
    key = asset_key(scope.tenant, asset_id)

    def work(tx: Tx) -> LineageGraph:
        center = _require_visible(tx, scope, asset_id)
        reached: dict[str, dict[str, Any]] = {}
        truncated = False
        sides = [("up", _QUERIES["upstream"].reach, "upstream"), ("down", _QUERIES["downstream"].reach, "downstream")]
        budget = node_cap - 1
        for name, query, side in sides:
            if direction not in (name, "both"):
                continue
            rows = tx.run(
                traversal.query(query), key=key, **traversal.params(), **scope.visibility(), limit=max(budget, 0) + 1
            )
            if len(rows) > budget:
                truncated, rows = True, rows[:budget]
            for r in rows:
                if r["key"] in reached:
                    reached[r["key"]]["side"] = "both"
                else:
                    reached[r["key"]] = {**r, "side": side}
            budget -= len(rows)
        nodes: dict[str, GraphNode] = {}
        node_of: dict[str, str] = {key: f"asset:{asset_id}"}
        nodes[node_of[key]] = GraphNode(
            key=node_of[key],
            kind="asset",
            type=center.get("type"),
            id=asset_id,
            namespace=center.get("namespace") or None,
            displayName=center.get("displayName"),
            deleted=bool(center.get("deleted")),
            distance=0,
            side="center",
        )
        redacted = 0
        for k, r in reached.items():
            if r["visible"]:
                node = GraphNode(
                    key=f"asset:{r['id']}",
                    kind="asset",
                    type=r["type"],
                    id=r["id"],
                    namespace=r["namespace"] or None,
                    displayName=r["displayName"],
                    deleted=bool(r["deleted"]),
                    distance=int(r["distance"]),
                    side=r["side"],
                )
            else:
                redacted += 1
                node = GraphNode(
                    key=f"redacted:{redacted}", kind="asset", distance=int(r["distance"]), side=r["side"], redacted=True
                )
            node_of[k] = node.key
            nodes[node.key] = node
        edges: dict[tuple[str, str, str], GraphEdge] = {}
        rows = tx.run(
            "lineage_edges",
            keys=list(node_of),
            history=traversal.history,
            after=traversal.after,
            before=traversal.before,
            limit=MAX_NODE_CAP * 4,
        )
        for e in rows:
            visible_run = scope.can_read(e["namespace"])
            run_key = "run:" + json.dumps([e["executionId"], e["taskId"], e["value"] or ""], separators=(",", ":"))
            if run_key not in nodes:
                if len(nodes) >= node_cap:
                    truncated = True
                    continue
                nodes[run_key] = (
                    GraphNode(
                        key=run_key,
                        kind="execution",
                        type="execution",
                        executionId=e["executionId"],
                        flowId=e["flowId"],
                        namespace=e["namespace"],
                        taskId=e["taskId"],
                        value=e["value"] or None,
                        date=e["date"],
                    )
                    if visible_run
                    else GraphNode(key=run_key, kind="execution", type="execution", redacted=True)
                )
            src, dst = node_of[e["source"]], node_of[e["target"]]
            edges.setdefault((src, run_key, "READ"), GraphEdge(source=src, target=run_key, type="READ"))
            edges.setdefault((run_key, dst, "WROTE"), GraphEdge(source=run_key, target=dst, type="WROTE"))
        if any(n.redacted and n.kind == "execution" for n in nodes.values()):
            # opaque keys for redacted task runs, so their execution ids do not leak through `key`
            renamed = {}
            for i, (k, n) in enumerate(list(nodes.items())):
                if n.kind == "execution" and n.redacted:
                    renamed[k] = f"redacted-run:{i}"
                    n.key = renamed[k]
            nodes = {n.key: n for n in nodes.values()}
            for e in edges.values():
                e.source, e.target = renamed.get(e.source, e.source), renamed.get(e.target, e.target)
        impact_count = None
        if direction in ("down", "both"):
            impact_count = count_reached(tx, scope, asset_id, "downstream", traversal)
        return LineageGraph(
            asset=asset_id,
            direction=direction,
            depth=traversal.depth,
            history=traversal.history,
            nodes=list(nodes.values()),
            edges=list(edges.values()),
            truncated=truncated,
            impactCount=impact_count,
        )

    return store.read(work)
