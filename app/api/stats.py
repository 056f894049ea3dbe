"""`/api/v1/{tenant}/stats`: counts and an integrity check, for the tenant's admins and operators."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency

from app.api.deps import context
from app.domain.access import Scope
from app.services.stats import TenantStats, tenant_stats


@get(
    "/api/v1/{tenant:str}/stats",
    sync_to_thread=True,
    opt={"role": "admin"},
    tags=["operations"],
    summary="Counts of assets, executions and edges; duplicated edges (always 0 unless broken)",
)
def stats(state: State, caller: NamedDependency[Scope]) -> TenantStats:
    store = context(state).store
    return tenant_stats(store, caller)
