"""Kestra's asset routes under `/api/v1/{tenant}/assets`, beside ours, for Kestra's own clients (kestrapy,
the Go and Java SDKs, kestractl): create-or-update from YAML, search with query filters, bulk deletes, the
dependency graph around an asset, and locks. Same tenants, tokens and namespace grants as every other route."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec
from anyio import to_thread
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.api.assets import PageParam, SizeParam, asset_id, checked_id
from app.domain import limits, query_filters
from app.domain.access import Scope
from app.domain.assets import Asset, AssetIn, AssetLock, AssetPage
from app.domain.executions import EXECUTION_ID_PATTERN
from app.errors import BadRequest, InvalidInput
from app.services import assets as asset_service
from app.services import kestra_assets as service
from app.services import kestra_usages
from app.store.base import GraphStore
from app.timeutil import Clock

SORT_FIELDS = ("id", "namespace", "type", "displayName", "created", "updated")


def _filters(
    request: Request, fields: Mapping[str, query_filters.FieldSpec] = query_filters.ASSET_FIELDS
) -> query_filters.Filter:
    return query_filters.parse(request.query_params.multi_items(), fields)


def _some_filters(request: Request, fields: Mapping[str, query_filters.FieldSpec], what: str) -> query_filters.Filter:
    """The filters of a delete by query: at least one, so that a forgotten parameter cannot delete everything."""
    flt = _filters(request, fields)
    if not flt.any_of:
        raise BadRequest(f"give at least one filter: deleting every {what} is not done by query", field="filters")
    return flt


class KestraAssetController(Controller):
    path = "/api/v1/{tenant:str}/assets"
    tags = ["kestra"]

    @get(
        "/search",
        sync_to_thread=True,
        summary="Search assets with Kestra's query filters",
        description="`filters[<field>][<OP>]=<value>` on `id`/`assetId`, `namespace`, `type`, `q`, `created`, "
        "`updated`, and `filters[metadata][EQUALS][<key>]=<value>`; the grouped form `filters[or][0][...]` for "
        "OR; `sort=<field>:asc|desc`. Deleted assets are left out.",
    )
    def search(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> AssetPage:
        sort = query_filters.parse_sort(request.query_params.getall("sort", []), SORT_FIELDS)
        return service.search_assets(store, caller, _filters(request), sort, page=page, size=size)

    # `/assets/{id}` for the ids that are also this collection's routes: the router sends `/assets/search` here
    # whatever the method, so without these an asset named `search` could not be replaced or deleted (405). Its GET
    # stays the search, as in Kestra; the other methods of `/assets/{id}` reach the asset (app/api/assets.py).

    @put(
        ["/search", "/by-ids", "/by-query"],
        status_code=HTTP_200_OK,
        summary="Create or replace the asset of this id (as PUT /assets/{id})",
        responses={201: ResponseSpec(data_container=Asset, description="Created")},
    )
    async def put_named(  # async: with sync_to_thread, Litestar 2 answered this Response-returning handler 500
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
        data: JSONBody[AssetIn],
    ) -> Response[Asset]:
        name = _route_name(request)
        asset, created = await to_thread.run_sync(
            lambda: asset_service.put_asset(store, caller, name, data, clock=clock, publish=outbox)
        )
        return Response(asset, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get(["/by-ids", "/by-query"], sync_to_thread=True, summary="Get the asset of this id (as GET /assets/{id})")
    def get_named(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        allowDeleted: Annotated[bool, QueryParameter(description="Answer a soft-deleted asset too.")] = False,
    ) -> Asset:
        return asset_service.get_asset(store, caller, _route_name(request), allow_deleted=allowDeleted, clock=clock)

    @delete(
        "/search",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Soft-delete the asset of this id (as DELETE /assets/{id})",
    )
    def delete_named(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
    ) -> Asset:
        return asset_service.delete_asset(store, caller, _route_name(request), clock=clock, publish=outbox)

    @get(
        "/usages/search",
        sync_to_thread=True,
        summary="Search usages (which execution's task run read or wrote which asset) with Kestra's query filters",
        description="Fields `assetId`, `namespace`, `flowId`, `executionId`, `taskId`, `taskRunId` "
        "(`<executionId>:<taskId>[:<value>]`), `created`; `sort=created:asc|desc` (newest first by default).",
    )
    def search_usages(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> kestra_usages.UsagePage:
        newest_first = query_filters.Sort("created", descending=True)
        sort = query_filters.parse_sort(request.query_params.getall("sort", []), ("created",), default=newest_first)
        flt = _filters(request, query_filters.USAGE_FIELDS)
        return kestra_usages.search_usages(store, caller, flt, descending=sort.descending, page=page, size=size)

    @delete(
        "/usages/by-query",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Delete the usages that pass the query filters, and the lineage they made",
    )
    def delete_usages(
        self, request: Request, store: NamedDependency[GraphStore], caller: NamedDependency[Scope]
    ) -> service.BulkResponse:
        return kestra_usages.delete_usages(store, caller, _some_filters(request, query_filters.USAGE_FIELDS, "usage"))

    @get(
        "/lineage-events/search",
        sync_to_thread=True,
        summary="One lineage event per task run (its inputs and outputs), with Kestra's query filters",
    )
    def search_lineage_events(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> kestra_usages.LineageEventPage:
        flt = _filters(request, query_filters.USAGE_FIELDS)
        return kestra_usages.search_lineage_events(store, caller, flt, page=page, size=size)

    @delete("/by-ids", sync_to_thread=True, status_code=HTTP_200_OK, summary="Delete the assets named (JSON array)")
    def delete_by_ids(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
        data: Annotated[list[str], Body(description="Asset ids")],
    ) -> service.BulkResponse:
        ids = [checked_id(i, f"[{n}]") for n, i in enumerate(data)]
        return service.delete_assets(store, caller, ids, clock=clock, publish=outbox)

    @delete(
        "/by-query",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Delete the assets that pass the query filters (`purge=true` removes them and their edges)",
    )
    def delete_by_query(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
        purge: Annotated[bool, QueryParameter(description="Remove for good, with lineage edges")] = False,
    ) -> service.BulkResponse:
        flt = _some_filters(request, query_filters.ASSET_FIELDS, "asset")
        return service.delete_by_query(store, caller, flt, purge=purge, clock=clock, publish=outbox)

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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        id: FromPath[str],
        destinationOnly: Annotated[bool, QueryParameter(description="Only what lies downstream")] = False,
        expandAll: Annotated[bool, QueryParameter(description="The whole lineage, not one hop")] = False,
    ) -> service.TopologyGraph:
        return service.asset_dependencies(
            store, caller, asset_id(id), destination_only=destinationOnly, expand_all=expandAll
        )

    @post("/{id:str}/lock", status_code=HTTP_200_OK, summary="Hold an asset for one execution (409 when held)")
    async def lock(
        self,
        request: Request,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        id: FromPath[str],
    ) -> AssetLock:
        raw = await request.body()
        try:
            req = msgspec.json.decode(raw, type=service.LockRequest) if raw.strip() else service.LockRequest()
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InvalidInput(f"lock request: {exc}", field="body") from exc
        name = asset_id(id)
        return await to_thread.run_sync(lambda: service.lock_asset(store, caller, name, req, clock=clock))

    @delete("/{id:str}/lock", sync_to_thread=True, summary="Release a hold (a no-op unless the caller holds it)")
    def unlock(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        id: FromPath[str],
        executionId: Annotated[
            str | None, QueryParameter(pattern=EXECUTION_ID_PATTERN, description="the execution whose hold to release")
        ] = None,
    ) -> None:
        service.unlock_asset(store, caller, asset_id(id), executionId)


def _route_name(request: Request) -> str:
    """The asset id a request to one of the collection's own routes names (`search`, `by-ids`, `by-query`)."""
    return request.url.path.rstrip("/").rsplit("/", 1)[1]
