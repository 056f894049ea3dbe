"""`/api/v1/{tenant}/assets`: manual registration, lookup, soft delete, filtered list, asset types."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from anyio import to_thread
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.api.flows import yaml_body
from app.api.paths import decode_segment
from app.domain import jsonsafe, limits
from app.domain.access import Scope
from app.domain.assets import Asset, AssetIn, AssetPage
from app.domain.checks import AssetChecks
from app.domain.sandbox import Sandbox
from app.domain.types import PREDEFINED, AssetType
from app.errors import InvalidInput, invalid_input
from app.services import assets as service
from app.services import kestra_assets as kestra
from app.services.checks import MAX_RUNS, asset_checks
from app.services.documents import load_yaml
from app.services.usages import MAX_READER_DAYS, AssetReaders, UsagePage, asset_readers, asset_usages
from app.store.base import GraphStore
from app.timeutil import Clock

_PRINTABLE = re.compile(limits.PRINTABLE_PATTERN)


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


async def kestra_asset_body(request: Request, sandbox: Sandbox, caller: Scope) -> kestra.KestraAssetIn:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        doc = jsonsafe.decode(await request.body())
    else:
        text = await yaml_body(request)
        doc = await to_thread.run_sync(lambda: load_yaml(sandbox, caller, text, what="the asset"))
    try:
        body = msgspec.convert(doc, kestra.KestraAssetIn)
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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
        id: FromPath[str],
        data: JSONBody[AssetIn],
    ) -> Response[Asset]:
        asset, created = service.put_asset(store, caller, asset_id(id), data, clock=clock, publish=outbox)
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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        sandbox: NamedDependency[Sandbox],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
    ) -> Asset:
        body = await kestra_asset_body(request, sandbox, caller)
        return await to_thread.run_sync(lambda: kestra.upsert_asset(store, caller, body, clock=clock, publish=outbox))

    @put(
        "/",
        sync_to_thread=True,
        summary="Create or replace many assets in one transaction",
        description=f"A JSON array of 1 to {limits.MAX_BATCH} assets, each with its `id`; all are written or, "
        "on any error (which names the item, e.g. `[3].namespace`), none.",
    )
    def put_assets(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
        data: JSONBody[list[AssetIn]],
    ) -> service.BatchResult:
        items = [(checked_id(item.id, f"[{n}].id"), item) for n, item in enumerate(data)]
        return service.put_assets(store, caller, items, clock=clock, publish=outbox)

    @get("/{id:str}", sync_to_thread=True, summary="Get one asset (a deleted one only with allowDeleted=true)")
    def get_asset(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        id: FromPath[str],
        allowDeleted: Annotated[bool, QueryParameter(description="Answer a soft-deleted asset too.")] = False,
    ) -> Asset:
        return service.get_asset(store, caller, asset_id(id), allow_deleted=allowDeleted, clock=clock)

    @delete(
        "/{id:str}",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Soft-delete an asset (it stays in lineage, flagged)",
    )
    def delete_asset(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        outbox: NamedDependency[bool],
        id: FromPath[str],
    ) -> Asset:
        return service.delete_asset(store, caller, asset_id(id), clock=clock, publish=outbox)

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
        store: NamedDependency[GraphStore],
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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        id: FromPath[str],
        runs: Annotated[int, QueryParameter(ge=1, le=MAX_RUNS, description="how many reporting runs to read")] = 200,
    ) -> AssetChecks:
        return asset_checks(store, caller, asset_id(id), runs=runs)

    @get(
        "/{id:str}/readers",
        sync_to_thread=True,
        summary="Which flows read the asset in the last `days` days",
        description="Each flow once, with how many of its task runs read the asset in that time and when the last "
        "did, most recent first (every recorded read, not only current lineage; at most 1,000 flows).",
    )
    def readers(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
        id: FromPath[str],
        days: Annotated[int, QueryParameter(ge=1, le=MAX_READER_DAYS, description="how far back (default 7)")] = 7,
    ) -> AssetReaders:
        return asset_readers(store, caller, asset_id(id), days=days, clock=clock)

    @get("/{id:str}/usages", sync_to_thread=True, summary="Every execution that read or wrote the asset")
    def usages(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        id: FromPath[str],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> UsagePage:
        return asset_usages(store, caller, asset_id(id), page=page, size=size)


class AssetTypeController(Controller):
    path = "/api/v1/{tenant:str}/asset-types"
    tags = ["assets"]

    @get("/", summary="The predefined asset types and their structured metadata fields")
    async def list_types(self, caller: NamedDependency[Scope]) -> list[AssetType]:
        return list(PREDEFINED)
