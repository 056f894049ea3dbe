"""`/api/v1/{tenant}/assets/{id}/impact|upstream|lineage` and `.../columns/{column}/impact|upstream`: what a change
breaks, where data comes from, at asset and at column level."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from app.api.assets import asset_id
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
    ImpactPage,
    LineageGraph,
    Traversal,
)
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
        store: NamedDependency[GraphStore],
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
    ) -> ImpactPage:
        traversal = Traversal.build(depth, history, after, before)
        return service.impact(
            store, caller, asset_id(id), "downstream", traversal, type=type, namespace=namespace, page=page, size=size
        )

    @get("/{id:str}/upstream", sync_to_thread=True, summary="Every asset upstream, each once, with distance and route")
    def upstream(
        self,
        store: NamedDependency[GraphStore],
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
    ) -> ImpactPage:
        traversal = Traversal.build(depth, history, after, before)
        return service.impact(
            store, caller, asset_id(id), "upstream", traversal, type=type, namespace=namespace, page=page, size=size
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
        store: NamedDependency[GraphStore],
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
    ) -> LineageGraph:
        traversal = Traversal.build(depth, history, after, before)
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


class ColumnController(Controller):
    """Column-level lineage (from OpenLineage `schema` and `columnLineage` facets), under the asset's grants."""

    path = "/api/v1/{tenant:str}/assets/{id:str}/columns"
    tags = ["lineage"]

    @get("/", sync_to_thread=True, summary="The columns of an asset (name, type, description)")
    def columns(
        self, store: NamedDependency[GraphStore], caller: NamedDependency[Scope], id: FromPath[str]
    ) -> AssetColumns:
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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        id: FromPath[str],
        column: FromPath[str],
        depth: ColumnDepth = None,
        history: History = False,
        limit: ColumnLimit = None,
    ) -> ColumnLineagePage:
        return _column_answer(store, caller, id, column, "downstream", history, depth, limit)

    @get(
        "/{column:str}/upstream",
        sync_to_thread=True,
        summary="Every column this column derives from, each once, with distance and route",
    )
    def upstream(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        id: FromPath[str],
        column: FromPath[str],
        depth: ColumnDepth = None,
        history: History = False,
        limit: ColumnLimit = None,
    ) -> ColumnLineagePage:
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
