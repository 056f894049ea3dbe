"""Who used an asset: every execution that read or wrote it, newest first (the audit trail), and which flows read it
lately (its readers)."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from app.domain import limits, paging
from app.domain.access import Scope
from app.domain.keys import asset_key
from app.errors import InvalidInput, NotFound
from app.services import binding
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
