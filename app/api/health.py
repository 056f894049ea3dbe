"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.di import NamedDependency

from app.store.base import GraphStore


class Health(msgspec.Struct):
    status: str
    backend: str | None = None


@get("/health", tags=["health"], summary="The process is up")
async def health() -> Health:
    return Health(status="UP")


@get("/ready", tags=["health"], sync_to_thread=True, summary="The database answers a query")
def ready(store: NamedDependency[GraphStore]) -> Health:
    store.ping()
    return Health(status="UP", backend=store.backend)
