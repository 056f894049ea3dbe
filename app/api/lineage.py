"""`/api/v1/{tenant}/assets/{id}/impact|upstream|lineage`: what a change breaks, where data comes from."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from app.api.assets import asset_id
from app.domain import limits
from app.domain.access import Scope
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
from app.services import lineage as service
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
