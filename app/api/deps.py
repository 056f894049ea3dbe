"""Dependencies every controller shares: the store, and the caller's scope in the tenant of the path."""

from __future__ import annotations

import re

from litestar import Request
from litestar.datastructures import State
from litestar.params import FromPath

from app.domain.access import Scope, open_scope
from app.domain.limits import TENANT_PATTERN
from app.domain.templating import Renderer
from app.errors import BadRequest
from app.store.base import GraphStore

_TENANT = re.compile(TENANT_PATTERN)


def provide_store(state: State) -> GraphStore:
    return state.store  # type: ignore[no-any-return]


def provide_renderer(state: State) -> Renderer:
    return state.renderer  # type: ignore[no-any-return]


def check_tenant(tenant: str) -> str:
    if not _TENANT.match(tenant):
        raise BadRequest(
            f"tenant {tenant!r} is not a valid tenant id (lowercase letters, digits, '-' and '_', "
            "at most 63 characters, starting with a letter or digit)",
            field="tenant",
        )
    return tenant


def provide_scope(request: Request, tenant: FromPath[str]) -> Scope:
    check_tenant(tenant)
    auth = request.app.state.get("auth")
    if auth is None:
        return open_scope(tenant)
    return auth.scope_for(request, tenant)  # type: ignore[no-any-return]
