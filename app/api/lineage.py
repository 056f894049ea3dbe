"""`/api/v1/{tenant}/assets/{id}/impact|upstream|lineage` and `.../columns/{column}/impact|upstream`: what a change
breaks, where data comes from, at asset and at column level."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream

from app.api import exports
from app.api.assets import asset_id
from app.api.deps import context
from app.api.exports import Format
from app.api.paths import decode_segment
from app.domain import limits
from app.domain.access import Scope
from app.domain.columns import (
    DEFAULT_COLUMN_DEPTH,
    DEFAULT_COLUMN_LIMIT,
    MAX_COLUMN_DEPTH,
    MAX_COLUMN_LIMIT,
    AssetColumns,
    ColumnLineagePage,
)
from app.domain.lineage import (
    DEFAULT_NODE_CAP,
    DEFAULT_PAGE_SIZE,
    MAX_DEPTH,
    MAX_NODE_CAP,
    MAX_PAGE_SIZE,
    MAX_SIBLINGS,
    MAX_SUMMARY_KEYS,
    ImpactPage,
    ImpactSummary,
    LineageGraph,
    Traversal,
)
from app.services import blast_radius, drawing, topology
from app.services import columns as columns_service
from app.services import lineage as service
from app.services.binding import Direction
from app.store.base import GraphStore

Depth = Annotated[
    int | None,
    QueryParameter(ge=1, le=MAX_DEPTH, description=f"Hops to follow (default: all, up to {MAX_DEPTH})."),
]
History = Annotated[
    bool,
    QueryParameter(description="Answer from every recorded execution, not only the latest of each task."),
]
After = Annotated[
    str | None,
    QueryParameter(
        description="Only executions that started at or after (ISO 8601).", schema_extra={"format": "date-time"}
    ),
]
Before = Annotated[
    str | None,
    QueryParameter(description="Only executions that started before (ISO 8601).", schema_extra={"format": "date-time"}),
]
TypeFilter = Annotated[str | None, QueryParameter(max_length=limits.MAX_TYPE, description="List only this type.")]
NamespaceFilter = Annotated[
    str | None, QueryParameter(max_length=limits.MAX_NAMESPACE, description="List only this namespace and children.")
]
Page = Annotated[int, QueryParameter(ge=1, le=limits.MAX_PAGE)]
OutputFormat = Annotated[
    Format,
    QueryParameter(
        description="`csv` or `ndjson`: every asset of the answer (not one page) as a file, streamed, each with its "
        "distance, one shortest route and the metadata `keys`; `type`, `namespace`, `page` and `size` apply to json."
    ),
]
Keys = Annotated[
    list[str] | None,
    QueryParameter(
        max_items=MAX_SUMMARY_KEYS,
        description="Metadata keys to break the count down by (repeat the parameter; default: the server's "
        "`--summary-keys`, `owner`).",
    ),
]
Size = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)]


class LineageController(Controller):
    path = "/api/v1/{tenant:str}/assets"
    tags = ["lineage"]

    @get(
        "/{id:str}/impact",
        sync_to_thread=True,
        summary="Every asset downstream, each once, with distance and route",
        description="Assets written by executions that read this asset, transitively. Ordered by distance, then "
        "id; `total` counts them all. Assets in namespaces you cannot see appear as `{redacted, distance}`.",
    )
    def impact(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        depth: Depth = None,
        type: TypeFilter = None,
        namespace: NamespaceFilter = None,
        history: History = False,
        after: After = None,
        before: Before = None,
        page: Page = 1,
        size: Size = DEFAULT_PAGE_SIZE,
        format: OutputFormat = "json",
        keys: Keys = None,
    ) -> ImpactPage | Stream:
        app = context(state)
        traversal = Traversal.build(depth, history, after, before)
        if format != "json":
            return _export(app.store, caller, id, "downstream", traversal, format, _keys(keys, app.summary_keys))
        return service.impact(
            app.store,
            caller,
            asset_id(id),
            "downstream",
            traversal,
            type=type,
            namespace=namespace,
            page=page,
            size=size,
        )

    @get("/{id:str}/upstream", sync_to_thread=True, summary="Every asset upstream, each once, with distance and route")
    def upstream(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        depth: Depth = None,
        type: TypeFilter = None,
        namespace: NamespaceFilter = None,
        history: History = False,
        after: After = None,
        before: Before = None,
        page: Page = 1,
        size: Size = DEFAULT_PAGE_SIZE,
        format: OutputFormat = "json",
        keys: Keys = None,
    ) -> ImpactPage | Stream:
        app = context(state)
        traversal = Traversal.build(depth, history, after, before)
        if format != "json":
            return _export(app.store, caller, id, "upstream", traversal, format, _keys(keys, app.summary_keys))
        return service.impact(
            app.store, caller, asset_id(id), "upstream", traversal, type=type, namespace=namespace, page=page, size=size
        )

    @get(
        "/{id:str}/impact/summary",
        sync_to_thread=True,
        summary="Everything downstream, counted: in all, per distance, namespace, type and owner",
        description="The whole impact at the depth asked (default: all), from one search: how many assets, how many "
        "per distance, and the visible ones per namespace, type and metadata key (`keys`). Assets in namespaces you "
        "cannot see are counted in `hidden`, never named.",
    )
    def impact_summary(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        depth: Depth = None,
        history: History = False,
        after: After = None,
        before: Before = None,
        keys: Keys = None,
    ) -> ImpactSummary:
        app = context(state)
        traversal = Traversal.build(depth, history, after, before)
        return blast_radius.summary(
            app.store, caller, asset_id(id), "downstream", traversal, _keys(keys, app.summary_keys)
        )

    @get(
        "/{id:str}/upstream/summary",
        sync_to_thread=True,
        summary="Everything upstream, counted: in all, per distance, namespace, type and owner",
    )
    def upstream_summary(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        depth: Depth = None,
        history: History = False,
        after: After = None,
        before: Before = None,
        keys: Keys = None,
    ) -> ImpactSummary:
        app = context(state)
        traversal = Traversal.build(depth, history, after, before)
        return blast_radius.summary(
            app.store, caller, asset_id(id), "upstream", traversal, _keys(keys, app.summary_keys)
        )

    @get(
        "/{id:str}/dependencies",
        sync_to_thread=True,
        summary="Kestra's AssetTopologyGraph around an asset: assets and the flows between them",
        description="Nodes `{uid, namespace, id, type: ASSET|FLOW}` (`uid` is `ASSET:<id>` or "
        "`FLOW:<namespace>/<flowId>`); edges `{source, target, relation}`: `USED_BY` from an asset to a flow that "
        "reads it, `UPSERT` from a flow to an asset it writes. One hop each way, only downstream with "
        "`destinationOnly=true`, the whole lineage with `expandAll=true`.",
    )
    def topology(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        destinationOnly: Annotated[bool, QueryParameter(description="Only what lies downstream")] = False,
        expandAll: Annotated[bool, QueryParameter(description="The whole lineage, not one hop")] = False,
    ) -> topology.TopologyGraph:
        store = context(state).store
        return topology.asset_dependencies(
            store, caller, asset_id(id), destination_only=destinationOnly, expand_all=expandAll
        )

    @get(
        "/{id:str}/lineage",
        sync_to_thread=True,
        summary="A lineage subgraph for drawing",
        description="Assets and task runs (`kind: execution`) around the asset, joined by READ (asset to task run) "
        "and WROTE (task run to asset) edges; at most `limit` nodes, `truncated` when more were reachable.",
    )
    def lineage(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        depth: Depth = None,
        direction: Annotated[
            Literal["both", "upstream", "downstream"], QueryParameter(description="Which side to draw.")
        ] = "both",
        history: History = False,
        after: After = None,
        before: Before = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_NODE_CAP)] = DEFAULT_NODE_CAP,
        group: Annotated[
            int | None,
            QueryParameter(
                ge=1,
                le=MAX_SIBLINGS,
                description="Grow the drawing level by level, drawing at most this many siblings of an asset one by "
                "one and counting the rest in one `kind: group` node per namespace and type; a task run that joins "
                "one asset to one other becomes a FEEDS edge. Unset: the nearest `limit` nodes, every task run.",
            ),
        ] = None,
    ) -> LineageGraph:
        store = context(state).store
        traversal = Traversal.build(depth, history, after, before)
        if group is not None:
            return drawing.grouped_graph(
                store, caller, asset_id(id), traversal, direction=direction, siblings=group, node_cap=limit
            )
        return service.lineage_graph(store, caller, asset_id(id), traversal, direction=direction, node_cap=limit)


ColumnDepth = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=MAX_COLUMN_DEPTH,
        description=f"Hops to follow (default {DEFAULT_COLUMN_DEPTH}, up to {MAX_COLUMN_DEPTH}).",
    ),
]
ColumnLimit = Annotated[
    int | None,
    QueryParameter(
        ge=1, le=MAX_COLUMN_LIMIT, description=f"Columns to list (default {DEFAULT_COLUMN_LIMIT}), nearest first."
    ),
]


def _keys(asked: list[str] | None, default: tuple[str, ...]) -> list[str]:
    """The metadata keys a summary or export breaks down by: those asked for, else the server's."""
    return list(default if asked is None else asked)


def _export(
    store: GraphStore,
    caller: Scope,
    raw_id: str,
    direction: Direction,
    traversal: Traversal,
    fmt: Format,
    keys: list[str],
) -> Stream:
    rows = blast_radius.export(store, caller, asset_id(raw_id), direction, traversal, keys)
    return exports.stream(rows, fmt, f"{direction}-{asset_id(raw_id)}", blast_radius.check_keys(keys))


class ColumnController(Controller):
    """Column-level lineage (from OpenLineage `schema` and `columnLineage` facets), under the asset's grants."""

    path = "/api/v1/{tenant:str}/assets/{id:str}/columns"
    tags = ["lineage"]

    @get("/", sync_to_thread=True, summary="The columns of an asset (name, type, description)")
    def columns(self, state: State, caller: NamedDependency[Scope], id: FromPath[str]) -> AssetColumns:
        store = context(state).store
        return columns_service.list_columns(store, caller, asset_id(id))

    @get(
        "/{column:str}/impact",
        sync_to_thread=True,
        summary="Every column derived from this column, each once, with distance and route",
        description="Columns of downstream assets whose values come from this column (DIRECT) or depend on it "
        "(INDIRECT: joins, filters, grouping), nearest first, each with one shortest route and the transformations "
        "of each hop. Percent-encode `/` in the asset id and the column name as `%2F`.",
    )
    def impact(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        column: FromPath[str],
        depth: ColumnDepth = None,
        history: History = False,
        limit: ColumnLimit = None,
    ) -> ColumnLineagePage:
        store = context(state).store
        return _column_answer(store, caller, id, column, "downstream", history, depth, limit)

    @get(
        "/{column:str}/upstream",
        sync_to_thread=True,
        summary="Every column this column derives from, each once, with distance and route",
    )
    def upstream(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        column: FromPath[str],
        depth: ColumnDepth = None,
        history: History = False,
        limit: ColumnLimit = None,
    ) -> ColumnLineagePage:
        store = context(state).store
        return _column_answer(store, caller, id, column, "upstream", history, depth, limit)


def _column_answer(
    store: GraphStore,
    caller: Scope,
    raw_id: str,
    raw_column: str,
    direction: Direction,
    history: bool,
    depth: int | None,
    limit: int | None,
) -> ColumnLineagePage:
    column = decode_segment(raw_column)
    return columns_service.column_lineage(
        store, caller, asset_id(raw_id), column, direction, history=history, depth=depth, limit=limit
    )
