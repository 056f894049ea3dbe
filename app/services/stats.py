"""Counts per tenant: for operators, and for tests that check nothing was duplicated."""

from __future__ import annotations

import msgspec

from app.domain.access import Scope
from app.errors import Forbidden
from app.store.base import GraphStore


class TenantStats(msgspec.Struct, kw_only=True):
    assets: int = 0
    executions: int = 0
    reads: int = 0
    writes: int = 0
    feeds: int = 0
    flows: int = 0


def tenant_stats(store: GraphStore, scope: Scope) -> TenantStats:
    if not scope.reads_all:
        raise Forbidden("tenant-wide counts need a grant on every namespace ('*')", field="tenant")
    rows = store.read(lambda tx: tx.run("tenant_stats", tenantId=scope.tenant))
    return TenantStats(**{r["what"]: int(r["n"]) for r in rows})
