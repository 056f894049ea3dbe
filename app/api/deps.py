"""Dependencies every controller shares: the store, the clock, and the caller's scope in the tenant of the path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from litestar import Request
from litestar.datastructures import State
from litestar.params import PathParameter

from app.domain.access import Scope, open_scope
from app.domain.limits import TENANT_PATTERN, IngestLimits
from app.domain.sandbox import Sandbox
from app.errors import BadRequest
from app.services.group_commit import GroupCommit
from app.services.run_merging import RunItem
from app.store.base import GraphStore
from app.timeutil import Clock

_TENANT = re.compile(TENANT_PATTERN)


@dataclass(frozen=True)
class AppContext:
    """What handlers take from the app, built once at start-up and read from `State`. Not one Litestar dependency
    each: Litestar resolves a handler's dependencies as tasks of an anyio task group, and seven of them cost the
    event loop nearly as much as the rest of a recording's request (docs/measurements.md)."""

    store: GraphStore
    clock: Clock
    committer: GroupCommit
    run_committer: GroupCommit[RunItem]
    sandbox: Sandbox
    limits: IngestLimits
    #: whether recordings write their OpenLineage events to the outbox (a sink is configured)
    outbox: bool
    #: the metadata keys an impact summary or export breaks down by when the caller names none
    summary_keys: tuple[str, ...]


def context(state: State) -> AppContext:
    return state.context  # type: ignore[no-any-return]


def check_tenant(tenant: str) -> str:
    if not _TENANT.match(tenant):
        raise BadRequest(
            f"tenant {tenant!r} is not a valid tenant id (lowercase letters, digits, '-' and '_', "
            "at most 63 characters, starting with a letter or digit)",
            field="tenant",
        )
    return tenant


def required_role(request: Request) -> str:
    """The role a route needs (`opt={"role": ...}`): reads need viewer, writes editor, unless it says."""
    role = request.route_handler.opt.get("role")
    if role:
        return str(role)
    return "viewer" if request.method in ("GET", "HEAD") else "editor"


TenantParam = Annotated[
    str, PathParameter(pattern=TENANT_PATTERN, max_length=63, description="Tenant id; `main` is the default tenant.")
]


def provide_scope(request: Request, tenant: TenantParam) -> Scope:
    check_tenant(tenant)
    auth = request.app.state.get("auth")
    if auth is None:
        return open_scope(tenant, request.client.host if request.client else "")
    return auth.scope_for(request.headers.get("authorization"), tenant, required_role(request))  # type: ignore[no-any-return]
