"""`/api/v1/{tenant}/assets`: registration (ours, and Kestra's create-or-update from YAML), lookup, soft delete,
filtered list, Kestra's search with query filters and bulk deletes, asset types."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from anyio import to_thread
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.api.deps import context
from app.api.filters import filters_of, some_filters_of
from app.api.flows import yaml_body
from app.api.paths import decode_segment
from app.domain import jsonsafe, limits, query_filters
from app.domain.access import Scope
from app.domain.assets import Asset, AssetIn, AssetPage
from app.domain.checks import AssetChecks
from app.domain.sandbox import Sandbox
from app.domain.types import PREDEFINED, AssetType
from app.errors import InvalidInput, invalid_input
from app.services import assets as service
from app.services.checks import MAX_RUNS, asset_checks
from app.services.documents import load_yaml

_PRINTABLE = re.compile(limits.PRINTABLE_PATTERN)
SORT_FIELDS = ("id", "namespace", "type", "displayName", "created", "updated")


def asset_id(raw: str) -> str:
    return checked_id(decode_segment(raw), "id")


def checked_id(value: str | None, field: str) -> str:
    if not value or len(value) > limits.MAX_ID or not _PRINTABLE.match(value):
        raise InvalidInput(
            f"asset id must be 1-{limits.MAX_ID} printable characters (got {len(value or '')})", field=field
        )
    return value


def metadata_filters(request: Request) -> dict[str, Any]:
    """`metadata.<key>=<value>` query parameters; several AND together."""
    out: dict[str, Any] = {}
    for name, value in request.query_params.items():
        if name.startswith("metadata."):
            key = name[len("metadata.") :]
            if not key or len(key) > limits.MAX_METADATA_KEY:
                raise InvalidInput(f"metadata filter key {key!r} is empty or too long", field=name)
            out[key] = value
    return out


async def kestra_asset_body(request: Request, sandbox: Sandbox, caller: Scope) -> service.KestraAssetIn:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        doc = jsonsafe.decode(await request.body())
    else:
        text = await yaml_body(request)
        doc = await to_thread.run_sync(lambda: load_yaml(sandbox, caller, text, what="the asset"))
    try:
        body = msgspec.convert(doc, service.KestraAssetIn)
    except msgspec.ValidationError as exc:
        raise invalid_input(exc) from exc
    checked_id(body.id, "id")
    return body


PageParam = Annotated[int, QueryParameter(ge=1, le=limits.MAX_PAGE, description="1-based page number.")]
SizeParam = Annotated[int, QueryParameter(ge=1, le=limits.MAX_PAGE_SIZE, description="Page size.")]


class AssetController(Controller):
    path = "/api/v1/{tenant:str}/assets"
    tags = ["assets"]

    @put(
        "/{id:str}",
        sync_to_thread=True,
        summary="Create or replace an asset",
        status_code=HTTP_200_OK,
        responses={201: ResponseSpec(data_container=Asset, description="Created")},
    )
    def put_asset(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        data: JSONBody[AssetIn],
    ) -> Response[Asset]:
        app = context(state)
        asset, created = service.put_asset(app.store, caller, asset_id(id), data, clock=app.clock, publish=app.outbox)
        return Response(asset, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post(
        "/",
        summary="Create or update an asset (YAML or JSON), by Kestra's rules",
        status_code=HTTP_200_OK,
        description="`created` is kept; a null `displayName` / `description` keeps the stored one; `metadata` "
        "merges into the stored keys and a key set to null is removed.",
    )
    async def create_asset(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> Asset:
        app = context(state)
        body = await kestra_asset_body(request, app.sandbox, caller)
        return await to_thread.run_sync(
            lambda: service.upsert_asset(app.store, caller, body, clock=app.clock, publish=app.outbox)
        )

    @put(
        "/",
        sync_to_thread=True,
        summary="Create or replace many assets in one transaction",
        description=f"A JSON array of 1 to {limits.MAX_BATCH} assets, each with its `id`; all are written or, "
        "on any error (which names the item, e.g. `[3].namespace`), none.",
    )
    def put_assets(
        self,
        state: State,
        caller: NamedDependency[Scope],
        data: JSONBody[list[AssetIn]],
    ) -> service.AssetBatchResult:
        app = context(state)
        items = [(checked_id(item.id, f"[{n}].id"), item) for n, item in enumerate(data)]
        return service.put_assets(app.store, caller, items, clock=app.clock, publish=app.outbox)

    @get("/{id:str}", sync_to_thread=True, summary="Get one asset (a deleted one only with allowDeleted=true)")
    def get_asset(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        allowDeleted: Annotated[bool, QueryParameter(description="Answer a soft-deleted asset too.")] = False,
    ) -> Asset:
        app = context(state)
        return service.get_asset(app.store, caller, asset_id(id), allow_deleted=allowDeleted, clock=app.clock)

    @delete(
        "/{id:str}",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Soft-delete an asset (it stays in lineage, flagged)",
    )
    def delete_asset(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
    ) -> Asset:
        app = context(state)
        return service.delete_asset(app.store, caller, asset_id(id), clock=app.clock, publish=app.outbox)

    @get(
        "/",
        sync_to_thread=True,
        summary="List assets",
        description="Filter by `type`, `namespace` (itself and its children) and any number of "
        "`metadata.<key>=<value>` parameters, which AND together. Deleted assets are "
        "excluded unless `deleted=true`.",
    )
    def list_assets(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
        q: Annotated[
            str | None, QueryParameter(max_length=limits.MAX_ID, description="Id contains (any case).")
        ] = None,
        type: Annotated[str | None, QueryParameter(max_length=limits.MAX_TYPE)] = None,
        namespace: Annotated[str | None, QueryParameter(max_length=limits.MAX_NAMESPACE)] = None,
        deleted: Annotated[bool, QueryParameter(description="Include soft-deleted assets.")] = False,
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> AssetPage:
        store = context(state).store
        flt = service.AssetFilter(
            q=q, type=type, namespace=namespace, metadata=metadata_filters(request), include_deleted=deleted
        )
        return service.list_assets(store, caller, flt, page=page, size=size)

    @get(
        "/{id:str}/checks",
        sync_to_thread=True,
        summary="Data-quality results reported about the asset (dbt's tests): the latest of each, and their history",
    )
    def checks(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        runs: Annotated[int, QueryParameter(ge=1, le=MAX_RUNS, description="how many reporting runs to read")] = 200,
    ) -> AssetChecks:
        store = context(state).store
        return asset_checks(store, caller, asset_id(id), runs=runs)


class AssetTypeController(Controller):
    path = "/api/v1/{tenant:str}/asset-types"
    tags = ["assets"]

    @get("/", summary="The predefined asset types and their structured metadata fields")
    async def list_types(self, caller: NamedDependency[Scope]) -> list[AssetType]:
        return list(PREDEFINED)


class AssetCollectionController(Controller):
    """Kestra's routes on the asset collection, for its own clients (kestrapy, the Go and Java SDKs, kestractl):
    search with query filters, bulk deletes by ids or by query, and `/assets/{id}` for the ids that are also this
    collection's routes."""

    path = "/api/v1/{tenant:str}/assets"
    tags = ["assets"]

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
        state: State,
        caller: NamedDependency[Scope],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> AssetPage:
        store = context(state).store
        sort = query_filters.parse_sort(request.query_params.getall("sort", []), SORT_FIELDS)
        return service.search_assets(store, caller, filters_of(request), sort, page=page, size=size)

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
        state: State,
        caller: NamedDependency[Scope],
        data: JSONBody[AssetIn],
    ) -> Response[Asset]:
        app = context(state)
        name = _route_name(request)
        asset, created = await to_thread.run_sync(
            lambda: service.put_asset(app.store, caller, name, data, clock=app.clock, publish=app.outbox)
        )
        return Response(asset, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get(["/by-ids", "/by-query"], sync_to_thread=True, summary="Get the asset of this id (as GET /assets/{id})")
    def get_named(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
        allowDeleted: Annotated[bool, QueryParameter(description="Answer a soft-deleted asset too.")] = False,
    ) -> Asset:
        app = context(state)
        return service.get_asset(app.store, caller, _route_name(request), allow_deleted=allowDeleted, clock=app.clock)

    @delete(
        "/search",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Soft-delete the asset of this id (as DELETE /assets/{id})",
    )
    def delete_named(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> Asset:
        app = context(state)
        return service.delete_asset(app.store, caller, _route_name(request), clock=app.clock, publish=app.outbox)

    @delete("/by-ids", sync_to_thread=True, status_code=HTTP_200_OK, summary="Delete the assets named (JSON array)")
    def delete_by_ids(
        self,
        state: State,
        caller: NamedDependency[Scope],
        data: Annotated[list[str], Body(description="Asset ids")],
    ) -> service.BulkResponse:
        app = context(state)
        ids = [checked_id(i, f"[{n}]") for n, i in enumerate(data)]
        return service.delete_assets(app.store, caller, ids, clock=app.clock, publish=app.outbox)

    @delete(
        "/by-query",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Delete the assets that pass the query filters (`purge=true` removes them and their edges)",
    )
    def delete_by_query(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
        purge: Annotated[bool, QueryParameter(description="Remove for good, with lineage edges")] = False,
    ) -> service.BulkResponse:
        app = context(state)
        flt = some_filters_of(request, query_filters.ASSET_FIELDS, "asset")
        return service.delete_by_query(app.store, caller, flt, purge=purge, clock=app.clock, publish=app.outbox)


def _route_name(request: Request) -> str:
    """The asset id a request to one of the collection's own routes names (`search`, `by-ids`, `by-query`)."""
    return request.url.path.rstrip("/").rsplit("/", 1)[1]
