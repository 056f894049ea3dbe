"""Column-level lineage: writing the columns and DERIVES edges a run drew, and answering which columns are
downstream (upstream) of a column. The search runs in the database (cypher/*/column_reach.cypher); a column is
seen under its asset's namespace grants, and columns of assets the caller cannot see are masked in routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.access import Scope
from app.domain.columns import (
    AssetColumns,
    Column,
    ColumnHop,
    ColumnLineagePage,
    ColumnReached,
    check_column_bounds,
    transformations_of,
)
from app.domain.keys import asset_key, column_key, column_of
from app.errors import NotFound
from app.openlineage.ingest import ColumnLineage
from app.services import binding
from app.services.assets import asset_missing, visible_assets
from app.services.binding import Direction
from app.store.base import GraphStore, Tx

Row = dict[str, Any]


@dataclass
class RunColumns:
    """The column lineage one task run drew, with the run's own edge properties (`edge`: executionKey, taskId,
    value, date) and which outputs it holds (`current`: output asset id -> whether its edges are current)."""

    tenant: str
    lineage: ColumnLineage
    edge: dict[str, Any]
    current: dict[str, bool]


def write_columns(tx: Tx, tenant: str, columns: list[dict[str, str]]) -> None:
    """Register columns ({"assetId", "name", "type", "description"}) of assets that exist; those already stored
    as given are not written again."""
    _put_columns(tx, _column_rows(tenant, columns))


def _column_rows(tenant: str, columns: list[dict[str, str]]) -> list[Row]:
    return [
        {
            "key": column_key(tenant, c["assetId"], c["name"]),
            "tenantId": tenant,
            "assetKey": asset_key(tenant, c["assetId"]),
            "name": c["name"],
            "type": c["type"],
            "description": c["description"],
        }
        for c in columns
    ]


def _put_columns(tx: Tx, rows: list[Row]) -> None:
    """Store columns, each once: a column given twice ends as given one after the other would leave it."""
    folded: dict[str, Row] = {}
    for row in rows:
        before = folded.get(row["key"])
        given = {k: row[k] for k in ("type", "description") if row[k]}
        folded[row["key"]] = row if before is None else {**before, **given}
    if not folded:
        return
    stored = {r["key"]: r for r in tx.run("columns_by_key", keys=list(folded))}
    changed = [r for k, r in folded.items() if k not in stored or _adds_to(stored[k], r)]
    if changed:
        tx.run("columns_put", columns=changed)


def _adds_to(stored: Row, given: dict[str, str]) -> bool:
    """Whether a column as given changes the stored one (an empty type or description keeps the stored one)."""
    return any(given[k] and given[k] != (stored[k] or "") for k in ("type", "description"))


def write_column_lineage(tx: Tx, runs: list[RunColumns]) -> None:
    """The columns of the task runs' datasets (set-based) and their DERIVES edges; an edge is current when its run
    holds its target's asset as an output."""
    _put_columns(tx, [row for run in runs for row in _column_rows(run.tenant, run.lineage.columns)])
    edged = [_run_edges(run) for run in runs if run.lineage.edges]
    if edged:
        tx.run("derives_create", runs=edged)


def _run_edges(run: RunColumns) -> Row:
    """One run's DERIVES edges with the run's own properties, as cypher/derives_create.cypher takes them."""
    edges = [
        {
            "sourceKey": column_key(run.tenant, e["sourceAsset"], e["sourceColumn"]),
            "targetKey": column_key(run.tenant, e["targetAsset"], e["targetColumn"]),
            "transformations": e["transformations"],
            "current": run.current.get(e["targetAsset"], False),
        }
        for e in run.lineage.edges
    ]
    return {**{k: run.edge[k] for k in ("executionKey", "taskId", "value", "date")}, "edges": edges}


def _require_asset(tx: Tx, scope: Scope, asset_id: str) -> None:
    if not tx.run("asset_get", key=asset_key(scope.tenant, asset_id), **binding.visibility(scope)):
        raise asset_missing(scope, asset_id)


def list_columns(store: GraphStore, scope: Scope, asset_id: str) -> AssetColumns:
    def work(tx: Tx) -> AssetColumns:
        _require_asset(tx, scope, asset_id)
        rows = tx.run("asset_columns", key=asset_key(scope.tenant, asset_id))
        return AssetColumns(
            assetId=asset_id,
            columns=[
                Column(name=r["name"], type=r["type"] or None, description=r["description"] or None) for r in rows
            ],
        )

    return store.read(work)


def column_lineage(
    store: GraphStore,
    scope: Scope,
    asset_id: str,
    column: str,
    direction: Direction,
    *,
    history: bool = False,
    depth: int | None = None,
    limit: int | None = None,
) -> ColumnLineagePage:
    """Columns downstream (upstream) of `column` of `asset_id`, nearest first, each with one shortest route."""
    depth, limit = check_column_bounds(depth, limit)
    key = column_key(scope.tenant, asset_id, column)

    def work(tx: Tx) -> ColumnLineagePage:
        _require_asset(tx, scope, asset_id)
        if not tx.run("column_get", key=key):
            raise NotFound(f"asset {asset_id!r} has no column {column!r}", field="column")
        # one row more than asked: `truncated` says whether there is more, not whether the page is full
        name, args = binding.column_reach(key, direction, history=history, depth=depth, scope=scope, limit=limit + 1)
        rows = tx.run(name, args)
        truncated, rows = len(rows) > limit, rows[:limit]
        seen = set(visible_assets(tx, scope, {column_of(k)[0] for r in rows for k in r["via"] or []}))
        return ColumnLineagePage(
            assetId=asset_id,
            column=column,
            direction=direction,
            history=history,
            depth=depth,
            items=[_reached(r, seen) for r in rows],
            truncated=truncated,
        )

    return store.read(work)


def _reached(row: Row, seen: set[str]) -> ColumnReached:
    if not row["visible"]:
        return ColumnReached(distance=row["distance"], visible=False)
    hops = [column_of(k) for k in row["via"] or []]
    shown: list[tuple[str | None, str | None]] = [(a, c) if a in seen else (None, None) for a, c in hops]
    shown.append((row["id"], row["columnName"]))
    route = [
        ColumnHop(assetId=a, column=c, transformations=transformations_of(t))
        for (a, c), t in zip(shown, row["transformations"] or [], strict=True)
    ]
    return ColumnReached(
        distance=row["distance"],
        visible=True,
        assetId=row["id"],
        namespace=row["namespace"],
        type=row["type"],
        column=row["columnName"],
        route=route,
    )
