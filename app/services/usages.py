"""Who used an asset: every execution that read or wrote it, newest first (the audit trail), which flows read it
lately (its readers), and Kestra's usage and lineage-event searches and deletes by query filter."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import msgspec

from app.domain import limits, paging
from app.domain.access import Scope
from app.domain.keys import asset_key
from app.domain.query_filters import Filter
from app.errors import InvalidInput, NotFound
from app.services import binding
from app.services.assets import BulkResponse, every_page, require_write
from app.services.filtering import run_filtered
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso, parse_iso, to_iso

#: How far back a readers question may look, and how many flows it lists.
MAX_READER_DAYS = 3_650
MAX_READERS = 1_000


class Usage(msgspec.Struct, kw_only=True):
    executionId: str
    namespace: str
    flowId: str
    taskId: str
    value: str | None
    relation: str  # READ or WROTE
    date: str
    current: bool
    #: the execution's state: a FAILED or KILLED run is history, never current lineage
    state: str | None = None


class UsagePage(msgspec.Struct):
    results: list[Usage]
    total: int


def asset_usages(
    store: GraphStore, scope: Scope, asset_id: str, page: int = 1, size: int = limits.DEFAULT_PAGE_SIZE
) -> UsagePage:
    paging.check(page, size)
    key = asset_key(scope.tenant, asset_id)

    def work(tx: Tx) -> UsagePage:
        visible = binding.visibility(scope)
        if not tx.run("asset_get", key=key, **visible):
            raise NotFound(f"asset {asset_id!r} does not exist in tenant {scope.tenant!r}", field="id")
        total = tx.run("asset_usages_count", key=key, **visible)[0]["total"]
        if paging.past_the_end(page, size, total):
            return UsagePage(results=[], total=int(total))
        rows = tx.run("asset_usages", key=key, **visible, skip=paging.skip(page, size), limit=size)
        return UsagePage(
            results=[Usage(**{**r, "value": r["value"] or None, "current": bool(r["current"])}) for r in rows],
            total=int(total),
        )

    return store.read(work)


class FlowReads(msgspec.Struct, kw_only=True):
    namespace: str
    flowId: str
    #: task runs of the flow that read the asset since `since`
    reads: int
    lastRead: str


class AssetReaders(msgspec.Struct, kw_only=True):
    asset: str
    since: str
    flows: list[FlowReads]


def asset_readers(store: GraphStore, scope: Scope, asset_id: str, *, days: int, clock: Clock = now_iso) -> AssetReaders:
    """The flows that read the asset in the last `days` days, each with its reads and the latest, newest first."""
    if not 1 <= days <= MAX_READER_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_READER_DAYS}", field="days")
    since = to_iso(parse_iso(clock()) - timedelta(days=days))
    key = asset_key(scope.tenant, asset_id)

    def work(tx: Tx) -> AssetReaders:
        visible = binding.visibility(scope)
        if not tx.run("asset_get", key=key, **visible):
            raise NotFound(f"asset {asset_id!r} does not exist in tenant {scope.tenant!r}", field="id")
        rows = tx.run("asset_readers", key=key, since=since, **visible, limit=MAX_READERS)
        return AssetReaders(asset=asset_id, since=since, flows=[FlowReads(**r) for r in rows])

    return store.read(work)


# -- Kestra's usage searches: the audit trail filtered by its query filters -------------------------------------


class KestraUsage(msgspec.Struct, kw_only=True):
    """A usage as Kestra's API answers it; `taskRunId` is `<executionId>:<taskId>[:<value>]`."""

    assetId: str
    namespace: str
    flowId: str
    flowRevision: int | None
    executionId: str
    taskId: str
    taskRunId: str
    created: str
    relation: str  # READ | WROTE (ours: which way the task run used the asset)


class UsageSearchPage(msgspec.Struct):
    results: list[KestraUsage]
    total: int


def search_usages(
    store: GraphStore, scope: Scope, flt: Filter, *, descending: bool = True, page: int = 1, size: int = 25
) -> UsageSearchPage:
    def work(tx: Tx) -> UsageSearchPage:
        total = tx.run("usage_search_count", **binding.query_filter(scope, flt))[0]["total"]
        if paging.past_the_end(page, size, total):
            return UsageSearchPage(results=[], total=int(total))
        rows = tx.run(*binding.usage_search(scope, flt, descending=descending, page=page, size=size))
        return UsageSearchPage(results=[msgspec.convert(r, KestraUsage) for r in rows], total=int(total))

    return run_filtered(store, flt, work)


def delete_usages(store: GraphStore, scope: Scope, flt: Filter) -> BulkResponse:
    """Delete every usage that passes the filters, and the FEEDS edges each made, in one transaction: lineage
    answers no longer follow them. An execution in a namespace the caller may read but not write is a 403."""

    def work(tx: Tx) -> BulkResponse:
        def page(n: int) -> list[dict[str, Any]]:
            return tx.run(*binding.usage_search(scope, flt, descending=False, page=n, size=limits.MAX_PAGE_SIZE))

        rows = every_page(page, what="usages")
        for row in rows:
            require_write(scope, row["namespace"])
        for row in rows:
            for name, args in binding.usage_delete(row):
                tx.run(name, args)
        return BulkResponse(count=len(rows))

    return run_filtered(store, flt, work, write=True)


# -- lineage events -------------------------------------------------------------------------------------------------


class AssetRef(msgspec.Struct):
    id: str
    type: str
    namespace: str | None


class LineageEvent(msgspec.Struct, kw_only=True):
    """One task run's lineage, as Kestra's (deprecated) lineage-event search answers it."""

    uid: str
    namespace: str
    flowId: str
    flowRevision: int | None
    executionId: str
    taskId: str
    taskRunId: str
    state: str
    inputs: list[AssetRef]
    outputs: list[AssetRef]
    created: str
    startDate: str | None
    endDate: str | None


class LineageEventPage(msgspec.Struct):
    results: list[LineageEvent]
    total: int


def search_lineage_events(store: GraphStore, scope: Scope, flt: Filter, *, page: int, size: int) -> LineageEventPage:
    def work(tx: Tx) -> LineageEventPage:
        args = binding.query_filter(scope, flt)
        total = tx.run("lineage_event_runs_count", **args)[0]["total"]
        if paging.past_the_end(page, size, total):
            return LineageEventPage(results=[], total=int(total))
        runs = tx.run("lineage_event_runs", **args, skip=paging.skip(page, size), limit=size)
        keys = [f"{r['executionKey']}|{r['taskId']}|{r['value']}" for r in runs]
        if not keys:
            return LineageEventPage(results=[], total=int(total))
        rows = tx.run("lineage_event_assets", runs=keys, **binding.visibility(scope))
        return LineageEventPage(results=_events(keys, rows), total=int(total))

    return run_filtered(store, flt, work)


def _events(keys: list[str], rows: list[dict[str, Any]]) -> list[LineageEvent]:
    by_run: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_run[f"{row['executionKey']}|{row['taskId']}|{row['value']}"].append(row)
    events = []
    for key in keys:
        usages = by_run.get(key)
        if not usages:
            continue
        first = usages[0]
        refs = {
            rel: [AssetRef(u["id"], u["type"], u["assetNamespace"]) for u in usages if u["relation"] == rel]
            for rel in ("READ", "WROTE")
        }
        events.append(
            LineageEvent(
                uid=first["taskRunId"],
                namespace=first["namespace"],
                flowId=first["flowId"],
                flowRevision=first["flowRevision"],
                executionId=first["executionId"],
                taskId=first["taskId"],
                taskRunId=first["taskRunId"],
                state=first["state"],
                inputs=sorted(refs["READ"], key=lambda a: a.id),
                outputs=sorted(refs["WROTE"], key=lambda a: a.id),
                created=first["created"],
                startDate=first["startDate"],
                endDate=first["endDate"],
            )
        )
    return events
