"""Who used an asset: `/assets/{id}/usages` (the audit trail) and `/assets/{id}/readers` (which flows read it lately),
and Kestra's usage and lineage-event searches and deletes by query."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from app.api.assets import PageParam, SizeParam, asset_id
from app.api.deps import context
from app.api.filters import filters_of, some_filters_of
from app.domain import limits, query_filters
from app.domain.access import Scope
from app.services import usages as service
from app.services.assets import BulkResponse


class UsageController(Controller):
    path = "/api/v1/{tenant:str}/assets"
    tags = ["usages"]

    @get(
        "/{id:str}/readers",
        sync_to_thread=True,
        summary="Which flows read the asset in the last `days` days",
        description="Each flow once, with how many of its task runs read the asset in that time and when the last "
        "did, most recent first (every recorded read, not only current lineage; at most 1,000 flows).",
    )
    def readers(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        days: Annotated[
            int, QueryParameter(ge=1, le=service.MAX_READER_DAYS, description="how far back (default 7)")
        ] = 7,
    ) -> service.AssetReaders:
        app = context(state)
        return service.asset_readers(app.store, caller, asset_id(id), days=days, clock=app.clock)

    @get("/{id:str}/usages", sync_to_thread=True, summary="Every execution that read or wrote the asset")
    def usages(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> service.UsagePage:
        store = context(state).store
        return service.asset_usages(store, caller, asset_id(id), page=page, size=size)

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
        state: State,
        caller: NamedDependency[Scope],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> service.UsageSearchPage:
        store = context(state).store
        newest_first = query_filters.Sort("created", descending=True)
        sort = query_filters.parse_sort(request.query_params.getall("sort", []), ("created",), default=newest_first)
        flt = filters_of(request, query_filters.USAGE_FIELDS)
        return service.search_usages(store, caller, flt, descending=sort.descending, page=page, size=size)

    @delete(
        "/usages/by-query",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Delete the usages that pass the query filters, and the lineage they made",
    )
    def delete_usages(self, request: Request, state: State, caller: NamedDependency[Scope]) -> BulkResponse:
        store = context(state).store
        return service.delete_usages(store, caller, some_filters_of(request, query_filters.USAGE_FIELDS, "usage"))

    @get(
        "/lineage-events/search",
        sync_to_thread=True,
        summary="One lineage event per task run (its inputs and outputs), with Kestra's query filters",
    )
    def search_lineage_events(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
        page: PageParam = 1,
        size: SizeParam = limits.DEFAULT_PAGE_SIZE,
    ) -> service.LineageEventPage:
        store = context(state).store
        flt = filters_of(request, query_filters.USAGE_FIELDS)
        return service.search_lineage_events(store, caller, flt, page=page, size=size)
