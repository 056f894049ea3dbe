"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.datastructures import State

from app.api.deps import context
from app.errors import StoreUnavailable


class Health(msgspec.Struct):
    status: str
    backend: str | None = None


@get("/health", tags=["health"], summary="The process is up")
async def health() -> Health:
    return Health(status="UP")


@get(
    "/ready",
    tags=["health"],
    sync_to_thread=True,
    summary="The database answers a query, and the lineage questions are planned",
)
def ready(state: State) -> Health:
    store = context(state).store
    if not state.planned.is_set():
        raise StoreUnavailable("starting: the database is planning the lineage queries")
    store.ping()
    return Health(status="UP", backend=store.backend)
