"""The audit trail of an asset: every execution that read or wrote it, newest first (full history)."""

from __future__ import annotations

import msgspec

from app.domain import limits
from app.domain.access import Scope
from app.domain.keys import asset_key
from app.errors import InvalidInput, NotFound
from app.services import binding
from app.store.base import GraphStore, Tx


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
    if page < 1:
        raise InvalidInput("page starts at 1", field="page")
    if not 1 <= size <= limits.MAX_PAGE_SIZE:
        raise InvalidInput(f"size must be between 1 and {limits.MAX_PAGE_SIZE}", field="size")
    key = asset_key(scope.tenant, asset_id)

    def work(tx: Tx) -> UsagePage:
        visible = binding.visibility(scope)
        if not tx.run("asset_get", key=key, **visible):
            raise NotFound(f"asset {asset_id!r} does not exist in tenant {scope.tenant!r}", field="id")
        total = tx.run("asset_usages_count", key=key, **visible)[0]["total"]
        if binding.past_the_end(page, size, total):
            return UsagePage(results=[], total=int(total))
        rows = tx.run("asset_usages", key=key, **visible, skip=(page - 1) * size, limit=size)
        return UsagePage(
            results=[Usage(**{**r, "value": r["value"] or None, "current": bool(r["current"])}) for r in rows],
            total=int(total),
        )

    return store.read(work)
