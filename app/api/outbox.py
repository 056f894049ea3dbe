"""`/api/v1/{tenant}/outbox`: how the sinks deliver this tenant's OpenLineage events, for its admins."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency

from app.api.deps import context
from app.domain.access import Scope
from app.services.outbox import OutboxStatus, status


@get(
    "/api/v1/{tenant:str}/outbox",
    sync_to_thread=True,
    opt={"role": "admin"},
    tags=["operations"],
    summary="The sinks' delivery of this tenant's events: backlog, oldest undelivered, last error, parked events",
    description="Each sink (Kafka, HTTP forwarding) delivers the outbox in order under its own cursor; an event a "
    "receiver refused (a 4xx) is set aside here with the receiver's reason, and the rest goes on.",
)
def outbox(state: State, caller: NamedDependency[Scope]) -> OutboxStatus:
    store = context(state).store
    return status(store, caller)
