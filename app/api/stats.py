"""`/api/v1/{tenant}/stats`: counts and an integrity check, for the tenant's admins and operators."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency

from app.domain.access import Scope
from app.services.stats import TenantStats, tenant_stats
from app.store.base import GraphStore


@get(
    "/api/v1/{tenant:str}/stats",
    sync_to_thread=True,
    opt={"role": "admin"},
    tags=["operations"],
    summary="Counts of assets, executions and edges; duplicated edges (always 0 unless broken)",
)
def stats(store: NamedDependency[GraphStore], caller: NamedDependency[Scope]) -> TenantStats:
    return tenant_stats(store, caller)
