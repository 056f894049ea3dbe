"""Counts per tenant: for operators, and for tests that check nothing was duplicated."""

from __future__ import annotations

import msgspec

from app.domain.access import Scope
from app.errors import Forbidden
from app.store.base import GraphStore, Tx


class TenantStats(msgspec.Struct, kw_only=True):
    assets: int = 0
    executions: int = 0
    reads: int = 0
    writes: int = 0
    feeds: int = 0
    flows: int = 0
    #: edges that repeat another (same execution, task, value, assets): 0 unless something is broken
    duplicateEdges: int = 0


def tenant_stats(store: GraphStore, scope: Scope) -> TenantStats:
    if not scope.reads_all:
        raise Forbidden("tenant-wide counts need a grant on every namespace ('*')", field="tenant")

    def work(tx: Tx) -> TenantStats:
        counts = {r["what"]: int(r["n"]) for r in tx.run("tenant_stats", tenantId=scope.tenant)}
        duplicates = sum(int(r["n"]) for r in tx.run("duplicate_edges", tenantId=scope.tenant))
        return TenantStats(**counts, duplicateEdges=duplicates)

    return store.read(work)
