"""The two baselines `lineage bench` compares the store with, on the identical graph.

- The floor: breadth-first search over an in-memory CSR adjacency (scipy), the least work any answer needs.
- The relational method (Marquez-style): a recursive CTE over an indexed edge table in SQLite, depth-bounded,
  `UNION` to stop revisits of (node, depth) rows, then the count and the first page by distance and id.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import breadth_first_order, shortest_path

from app.bench.graph import SyntheticGraph


@dataclass
class CsrBaseline:
    graph: SyntheticGraph

    def __post_init__(self) -> None:
        self.down = self.graph.csr()
        self.up = self.graph.csr(upstream=True)

    def reached(self, node: int, upstream: bool = False) -> np.ndarray:
        """The floor: the reached set, in BFS order, without the start."""
        order = breadth_first_order(self.up if upstream else self.down, node, directed=True, return_predecessors=False)
        return order[1:]

    def distances(self, node: int, upstream: bool = False) -> dict[int, int]:
        dist = shortest_path(self.up if upstream else self.down, directed=True, unweighted=True, indices=node)
        found = np.flatnonzero(np.isfinite(dist))
        return {int(i): int(dist[i]) for i in found if i != node}


class CteBaseline:
    """SQLite with `edges(src, dst)` indexed both ways and `assets(node, id)`."""

    def __init__(self, graph: SyntheticGraph, path: Path) -> None:
        self.graph = graph
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(
            "CREATE TABLE assets(node INTEGER PRIMARY KEY, id TEXT NOT NULL);"
            "CREATE TABLE edges(src INTEGER NOT NULL, dst INTEGER NOT NULL);"
        )
        self.db.executemany("INSERT INTO assets VALUES (?, ?)", ((i, graph.asset_id(i)) for i in range(graph.n)))
        self.db.executemany(
            "INSERT INTO edges VALUES (?, ?)", zip(graph.sources.tolist(), graph.targets.tolist(), strict=True)
        )
        self.db.executescript(
            "CREATE INDEX edges_src ON edges(src, dst); CREATE INDEX edges_dst ON edges(dst, src);ANALYZE;"
        )
        self.db.commit()

    def impact(self, node: int, *, upstream: bool = False, depth: int = 100, limit: int = 100) -> tuple[int, list]:
        """(count, first page of (id, distance)) as a relational lineage service computes it."""
        step = (
            "SELECT e.src, r.depth + 1 FROM edges e JOIN reach r ON e.dst = r.node"
            if upstream
            else "SELECT e.dst, r.depth + 1 FROM edges e JOIN reach r ON e.src = r.node"
        )
        sql = f"""
            WITH RECURSIVE reach(node, depth) AS (
                SELECT ?, 0
                UNION
                {step} WHERE r.depth < ?
            ),
            nearest AS (SELECT node, MIN(depth) AS distance FROM reach WHERE node <> ? GROUP BY node)
            SELECT a.id, n.distance, COUNT(*) OVER () AS total
            FROM nearest n JOIN assets a ON a.node = n.node
            ORDER BY n.distance, a.id
            LIMIT ?"""
        rows = self.db.execute(sql, (node, depth, node, limit)).fetchall()
        total = rows[0][2] if rows else 0
        return total, [(r[0], r[1]) for r in rows]

    def close(self) -> None:
        self.db.close()
