"""Impact, upstream and lineage subgraphs: breadth-first searches in the database (cypher/*/reach_*.cypher),
shaped here.

Which assets are reached, their distances, counts, filters and which of them are redacted are all decided
inside the Cypher, with the caller's visible namespaces as parameters. The one thing decided here is the
masking of ids *inside* a route (`via`) by the same namespace rule, because LadybugDB lambdas cannot take
query parameters.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from app.domain import paging
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
from app.services import binding
from app.services.binding import Direction
from app.store.base import GraphStore, Tx

Sides = Literal["both", "upstream", "downstream"]
Row = dict[str, Any]


def require_visible(tx: Tx, scope: Scope, asset_id: str) -> Row:
    rows = tx.run("asset_get", key=asset_key(scope.tenant, asset_id), **binding.visibility(scope))
    if not rows:
        raise NotFound(f"asset {asset_id!r} does not exist in tenant {scope.tenant!r}", field="id")
    return rows[0]["a"]  # type: ignore[no-any-return]


def _route(scope: Scope, start: str, target: str, row: Row, direction: Direction) -> list[Hop]:
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
    """One page of the assets downstream (upstream) of an asset, with their distances and, unless `with_via`
    is off, one shortest route each."""
    paging.check(page, size, MAX_PAGE_SIZE)
    filters = binding.type_and_namespace(type, namespace)

    def work(tx: Tx) -> ImpactPage:
        require_visible(tx, scope, asset_id)
        key = asset_key(scope.tenant, asset_id)
        distances = tx.run(*binding.reach_counts(key, direction, traversal, scope, filters))
        skip = paging.skip(page, size)
        last = _last_distance(distances, skip, size)
        items = [] if last is None else _page(tx, key, direction, traversal, scope, filters, last, skip, size)
        if with_via and last is not None:
            _add_routes(tx, scope, asset_id, direction, traversal, last, items)
        return ImpactPage(
            asset=asset_id,
            direction=direction,
            **traversal.echo(),
            total=sum(int(r["reached"]) for r in distances),
            page=page,
            size=size,
            results=items,
        )

    return store.read(work)


def _last_distance(distances: list[Row], skip: int, limit: int) -> int | None:
    """The distance of the last result on the page [skip, skip + limit), from the per-distance counts: the
    page's searches need go no further."""
    seen = 0
    last = None
    for row in distances:
        if seen >= skip + limit:
            break
        last = int(row["distance"])
        seen += int(row["reached"])
    return last if seen > skip else None


def _page(
    tx: Tx,
    key: str,
    direction: Direction,
    traversal: Traversal,
    scope: Scope,
    filters: dict[str, Any],
    last: int,
    skip: int,
    size: int,
) -> list[ImpactItem]:
    query = binding.reach_page(key, direction, traversal, scope, filters, last_distance=last, skip=skip, limit=size)
    items = []
    for r in tx.run(*query):
        if not r["visible"]:
            items.append(ImpactItem(distance=int(r["distance"]), redacted=True))
            continue
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
    return items


def _add_routes(
    tx: Tx, scope: Scope, asset_id: str, direction: Direction, traversal: Traversal, last: int, items: list[ImpactItem]
) -> None:
    """One shortest route (`via`) for each visible item. A page that lies one hop away (a hub's first page)
    reads its routes from the edges themselves; a farther one needs a second search, cut at the same distance."""
    targets = {asset_key(scope.tenant, i.id): i for i in items if i.id is not None}
    if not targets:
        return
    key = asset_key(scope.tenant, asset_id)
    if last == 1:
        found = _direct_routes(tx.run(*binding.reach_direct(key, direction, traversal, list(targets))))
    else:
        query = binding.reach_routes(key, direction, traversal, last_distance=last, targets=list(targets))
        found = {r["key"]: r for r in tx.run(*query)}
    for target_key, item in targets.items():
        route = found.get(target_key)
        if route is not None and item.id is not None:
            item.via = _route(scope, asset_id, item.id, route, direction)


def _direct_routes(edges: list[Row]) -> dict[str, Row]:
    """One-hop routes from edge rows, in the shape of a route row; the latest edge per result is shown."""
    out: dict[str, Row] = {}
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
    filters = binding.type_and_namespace(None, None)
    rows = tx.run(*binding.reach_counts(asset_key(scope.tenant, asset_id), direction, traversal, scope, filters))
    return sum(int(r["reached"]) for r in rows)


# -- the lineage subgraph ------------------------------------------------------------------------------------


def lineage_graph(
    store: GraphStore,
    scope: Scope,
    asset_id: str,
    traversal: Traversal,
    *,
    direction: Sides = "both",
    node_cap: int = DEFAULT_NODE_CAP,
) -> LineageGraph:
    """Assets and task runs around one asset, for drawing: upstream on one side, downstream on the other,
    nearest first, at most `node_cap` nodes."""
    if not 1 <= node_cap <= MAX_NODE_CAP:
        raise InvalidInput(f"limit must be between 1 and {MAX_NODE_CAP}", field="limit")

    def work(tx: Tx) -> LineageGraph:
        center = require_visible(tx, scope, asset_id)
        reached, truncated = _nearest_assets(tx, scope, asset_id, traversal, direction, node_cap - 1)
        drawing = Drawing(scope, node_cap)
        drawing.add_center(asset_id, center)
        drawing.add_assets(reached)
        keys = list(drawing.node_of)
        drawing.add_task_runs(tx.run(*binding.lineage_edges(keys, traversal, MAX_NODE_CAP * 4)))
        drawing.truncated |= truncated
        return drawing.answer(tx, asset_id, direction, traversal)

    return store.read(work)


def _nearest_assets(
    tx: Tx, scope: Scope, asset_id: str, traversal: Traversal, sides: Sides, budget: int
) -> tuple[dict[str, Row], bool]:
    """The nearest assets on each side asked for, upstream first, `budget` in all; whether some were left out.
    An asset on both sides is drawn once, marked `both`."""
    key = asset_key(scope.tenant, asset_id)
    reached: dict[str, Row] = {}
    truncated = False
    for side in ("upstream", "downstream"):
        if sides not in (side, "both"):
            continue
        rows = tx.run(*binding.reach_nearest(key, side, traversal, scope, max(budget, 0) + 1))
        if len(rows) > budget:
            truncated, rows = True, rows[:budget]
        for r in rows:
            if r["key"] in reached:
                reached[r["key"]]["side"] = "both"
            else:
                reached[r["key"]] = {**r, "side": side}
        budget -= len(rows)
    return reached, truncated


class Drawing:
    """Nodes and edges of a lineage drawing, built up in steps: the asset asked about, the assets reached, then
    the task runs between them; things the caller cannot see become redacted nodes with opaque keys."""

    def __init__(self, scope: Scope, node_cap: int) -> None:
        self.scope = scope
        self.node_cap = node_cap
        self.nodes: dict[str, GraphNode] = {}
        self.node_of: dict[str, str] = {}  # asset key -> node key
        self.edges: dict[tuple[str, str, str], GraphEdge] = {}
        self.truncated = False
        self._redacted = 0

    def add_center(self, asset_id: str, center: Row) -> None:
        node = GraphNode(
            key=f"asset:{asset_id}",
            kind="asset",
            type=center.get("type"),
            id=asset_id,
            namespace=center.get("namespace") or None,
            displayName=center.get("displayName"),
            deleted=bool(center.get("deleted")),
            distance=0,
            side="center",
        )
        self.node_of[asset_key(self.scope.tenant, asset_id)] = node.key
        self.nodes[node.key] = node

    def add_assets(self, reached: dict[str, Row]) -> None:
        for key, r in reached.items():
            if r["visible"]:
                self.add_asset(key, r, int(r["distance"]), r["side"])
                continue
            self._redacted += 1
            node = GraphNode(
                key=f"redacted:{self._redacted}",
                kind="asset",
                distance=int(r["distance"]),
                side=r["side"],
                redacted=True,
            )
            self.node_of[key] = node.key
            self.nodes[node.key] = node

    def add_edge(self, source: str, target: str, type_: Literal["READ", "WROTE", "FEEDS"], **run: Any) -> None:
        self.edges.setdefault((source, target, type_), GraphEdge(source=source, target=target, type=type_, **run))

    def add_asset(self, key: str, r: Row, distance: int, side: str) -> None:
        """A visible asset reached at `distance` on `side`, from a row of its fields."""
        node = GraphNode(
            key=f"asset:{r['id']}",
            kind="asset",
            type=r["type"],
            id=r["id"],
            namespace=r["namespace"] or None,
            displayName=r["displayName"],
            deleted=bool(r["deleted"]),
            distance=distance,
            side=side,  # type: ignore[arg-type]
        )
        self.node_of[key] = node.key
        self.nodes[node.key] = node

    def add_task_runs(self, feeds: list[Row], *, collapse: bool = False) -> None:
        """A FEEDS edge a -> b made by a task run becomes a -READ-> run -WROTE-> b; runs past the cap are left
        out (and the drawing says it is truncated). With `collapse`, a run that joins one drawn asset to one other
        adds nothing as a node: it is drawn as one FEEDS edge carrying its fields."""
        runs: dict[str, list[Row]] = {}
        for e in feeds:
            run_key = "run:" + json.dumps([e["executionId"], e["taskId"], e["value"] or ""], separators=(",", ":"))
            runs.setdefault(run_key, []).append(e)
        for run_key, edges in runs.items():
            if collapse and len({e["source"] for e in edges}) == 1 and len({e["target"] for e in edges}) == 1:
                self._add_run_edge(edges[0])
                continue
            if len(self.nodes) >= self.node_cap:
                self.truncated = True
                continue
            self.nodes[run_key] = self._run_node(run_key, edges[0])
            for e in edges:
                self.add_edge(self.node_of[e["source"]], run_key, "READ")
                self.add_edge(run_key, self.node_of[e["target"]], "WROTE")

    def _add_run_edge(self, e: Row) -> None:
        """One task run as an edge between the two assets it joins; a hidden run's fields are left out."""
        run = {}
        if self.scope.can_read(e["namespace"]):
            run = {
                "executionId": e["executionId"],
                "flowId": e["flowId"],
                "namespace": e["namespace"],
                "taskId": e["taskId"],
                "value": e["value"] or None,
            }
        self.add_edge(self.node_of[e["source"]], self.node_of[e["target"]], "FEEDS", **run)

    def _run_node(self, run_key: str, e: Row) -> GraphNode:
        if not self.scope.can_read(e["namespace"]):
            return GraphNode(key=run_key, kind="execution", type="execution", redacted=True)
        return GraphNode(
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

    def answer(self, tx: Tx, asset_id: str, direction: Sides, traversal: Traversal) -> LineageGraph:
        """The drawing as an answer, with the whole impact's count (never the drawing's depth's)."""
        impact = None
        if direction in ("downstream", "both"):
            impact = count_reached(tx, self.scope, asset_id, "downstream", traversal.whole())
        return LineageGraph(
            asset=asset_id,
            direction=direction,
            depth=traversal.depth,
            history=traversal.history,
            nodes=self.finished_nodes(),
            edges=list(self.edges.values()),
            truncated=self.truncated,
            impactCount=impact,
        )

    def finished_nodes(self) -> list[GraphNode]:
        """The nodes, redacted task runs renamed to opaque keys so their execution ids do not leak through `key`."""
        renamed: dict[str, str] = {}
        for i, node in enumerate(self.nodes.values()):
            if node.kind == "execution" and node.redacted:
                renamed[node.key] = f"redacted-run:{i}"
                node.key = renamed[node.key]
        if renamed:
            for edge in self.edges.values():
                edge.source = renamed.get(edge.source, edge.source)
                edge.target = renamed.get(edge.target, edge.target)
        return list(self.nodes.values())


def plan_first_questions(store: GraphStore, traversal: Traversal | None = None) -> None:
    """Ask the lineage questions once, of an asset that does not exist, so that the database has planned them
    before a caller asks (Neo4j takes seconds per search text; cached, they answer in milliseconds)."""
    for call in binding.first_questions(traversal):
        store.read(lambda tx, call=call: tx.run(*call))  # type: ignore[misc]
