"""A lineage drawing that stays readable at any size: grown one level at a time from the asset asked about, each
asset's siblings drawn one by one up to a small number and the rest counted in one node per (namespace, type),
and a task run drawn as an edge when it joins one asset to one other.

A hub read by thousands of tasks then draws as itself, a few of its readers and a handful of groups ("+4,548 in
bench.mart"); a group expands page by page through the impact (upstream) answer of the asset it hangs from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import zip_longest
from typing import Any

from app.domain.access import Scope
from app.domain.keys import asset_key
from app.domain.lineage import MAX_NODE_CAP, MAX_SIBLINGS, GraphNode, LineageGraph, Traversal
from app.errors import InvalidInput
from app.services import binding
from app.services.binding import Direction
from app.services.lineage import Drawing, Sides, require_visible
from app.store.base import GraphStore, Tx

Row = dict[str, Any]


def grouped_graph(
    store: GraphStore,
    scope: Scope,
    asset_id: str,
    traversal: Traversal,
    *,
    direction: Sides,
    siblings: int,
    node_cap: int,
) -> LineageGraph:
    if not 1 <= siblings <= MAX_SIBLINGS:
        raise InvalidInput(f"group must be between 1 and {MAX_SIBLINGS}", field="group")
    if not 1 <= node_cap <= MAX_NODE_CAP:
        raise InvalidInput(f"limit must be between 1 and {MAX_NODE_CAP}", field="limit")

    def work(tx: Tx) -> LineageGraph:
        drawing = GroupedDrawing(scope, node_cap, siblings)
        drawing.add_center(asset_id, require_visible(tx, scope, asset_id))
        start = asset_key(scope.tenant, asset_id)
        for side in ("upstream", "downstream"):
            if direction in (side, "both"):
                _grow(tx, drawing, start, side, traversal)  # type: ignore[arg-type]
        keys = list(drawing.node_of)
        drawing.add_task_runs(tx.run(*binding.lineage_edges(keys, traversal, MAX_NODE_CAP * 4)), collapse=True)
        return drawing.answer(tx, asset_id, direction, traversal)

    return store.read(work)


def _grow(tx: Tx, drawing: GroupedDrawing, start: str, side: Direction, traversal: Traversal) -> None:
    """Level by level: the children of the assets drawn at the last level, until the depth or the cap."""
    frontier = [start]
    for distance in range(1, traversal.depth + 1):
        if not frontier:
            return
        rows = tx.run(*binding.reach_children(frontier, list(drawing.node_of), side, traversal, drawing.scope))
        frontier = drawing.add_children(rows, side, distance)


class GroupedDrawing(Drawing):
    def __init__(self, scope: Scope, node_cap: int, siblings: int) -> None:
        super().__init__(scope, node_cap)
        self.siblings = siblings
        self._groups = 0

    def add_children(self, rows: list[Row], side: Direction, distance: int) -> list[str]:
        """Draw each parent's first siblings, count the rest per (namespace, type); the asset keys drawn."""
        by_parent: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_parent[r["parent"]].append(r)
        drawn: list[str] = []
        for parent in sorted(by_parent):
            drawn += self._add_family(parent, by_parent[parent], side, distance)
        return drawn

    def _add_family(self, parent: str, groups: list[Row], side: Direction, distance: int) -> list[str]:
        """One parent's new children: the first `siblings` of them drawn, the rest counted per group."""
        groups.sort(key=lambda g: (not g["visible"], -g["reached"], g["namespace"] or "", g["type"] or ""))
        members = _interleaved([m for m in _members(g) if m["key"] not in self.node_of] for g in groups)
        room = max(self.node_cap - len(self.nodes) - len(groups), 0)
        # a group of one says less than the asset itself: draw every sibling when at most one would be grouped
        show = members if len(members) <= self.siblings + 1 else members[: self.siblings]
        show = show[:room]
        for m in show:
            self.add_asset(m["key"], {**m, "displayName": m["displayName"] or None}, distance, side)
        for g in groups:
            left = sum(1 for m in _members(g) if m["key"] not in self.node_of) if g["visible"] else g["reached"]
            if left:
                self._add_group(parent, g, left, side, distance)
        return [m["key"] for m in show]

    def _add_group(self, parent: str, g: Row, count: int, side: Direction, distance: int) -> None:
        if len(self.nodes) >= self.node_cap:
            self.truncated = True
            return
        self._groups += 1
        parent_node = self.node_of[parent]
        node = GraphNode(
            key=f"group:{self._groups}",
            kind="group",
            type=g["type"] if g["visible"] else None,
            namespace=(g["namespace"] or None) if g["visible"] else None,
            distance=distance,
            side=side,
            count=count,
            parentId=self.nodes[parent_node].id,
            redacted=not g["visible"],
        )
        self.nodes[node.key] = node
        source, target = (parent_node, node.key) if side == "downstream" else (node.key, parent_node)
        self.add_edge(source, target, "FEEDS")


def _interleaved(lists: Iterable[list[Row]]) -> list[Row]:
    """One member of each group in turn (each group by id), so that the siblings drawn show every kind there is."""
    ordered = [sorted(members, key=lambda m: m["id"]) for members in lists]
    return [m for row in zip_longest(*ordered) for m in row if m is not None]


def _members(g: Row) -> list[Row]:
    """A visible group's members from its parallel lists."""
    fields = zip(g["memberKeys"], g["memberIds"], g["memberNames"], g["memberDeleted"], strict=True)
    return [
        {"key": k, "id": i, "displayName": n, "deleted": d, "namespace": g["namespace"], "type": g["type"]}
        for k, i, n, d in fields
    ]
