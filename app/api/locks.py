"""`/assets/{id}/lock`: Kestra's holds on an asset (one execution at a time)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from anyio import to_thread
from litestar import Controller, Request, delete, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from app.api.assets import asset_id
from app.api.deps import context
from app.domain.access import Scope
from app.domain.assets import AssetLock
from app.domain.executions import EXECUTION_ID_PATTERN
from app.errors import InvalidInput
from app.services import locks as service


class LockController(Controller):
    path = "/api/v1/{tenant:str}/assets"
    tags = ["assets"]

    @post("/{id:str}/lock", status_code=HTTP_200_OK, summary="Hold an asset for one execution (409 when held)")
    async def lock(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
    ) -> AssetLock:
        app = context(state)
        raw = await request.body()
        try:
            req = msgspec.json.decode(raw, type=service.LockRequest) if raw.strip() else service.LockRequest()
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InvalidInput(f"lock request: {exc}", field="body") from exc
        name = asset_id(id)
        return await to_thread.run_sync(lambda: service.lock_asset(app.store, caller, name, req, clock=app.clock))

    @delete("/{id:str}/lock", sync_to_thread=True, summary="Release a hold (a no-op unless the caller holds it)")
    def unlock(
        self,
        state: State,
        caller: NamedDependency[Scope],
        id: FromPath[str],
        executionId: Annotated[
            str | None, QueryParameter(pattern=EXECUTION_ID_PATTERN, description="the execution whose hold to release")
        ] = None,
    ) -> None:
        store = context(state).store
        service.unlock_asset(store, caller, asset_id(id), executionId)
