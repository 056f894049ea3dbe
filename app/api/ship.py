"""`/api/v1/{tenant}/ship`: run an AssetShipper task; download what it wrote."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import File
from litestar.status_codes import HTTP_200_OK

from app.api.deps import context
from app.domain.access import Scope
from app.errors import BadRequest
from app.services import shipping as service
from app.services.shipping import ShipResult


class ShipController(Controller):
    path = "/api/v1/{tenant:str}/ship"
    tags = ["shipping"]

    @post(
        "/",
        status_code=HTTP_200_OK,
        summary="Run an AssetShipper task (YAML or JSON body)",
        description="The body is the AssetShipper task as in a flow (`assetExporters: [...]`, optional `type`, "
        "`namespace`, `metadata` filters), or a flow holding AssetShipper tasks. File exports are downloadable "
        "from each exporter's `uri`; an unreachable OpenLineage `uri` is reported as failures.",
    )
    async def ship(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> ShipResult:
        app = context(state)
        from anyio import to_thread

        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest("the body is not UTF-8", field="body") from exc
        settings = state.settings
        return await to_thread.run_sync(
            lambda: service.ship(
                app.store,
                caller,
                app.sandbox,
                text,
                settings.exports_path,
                allow=settings.ship_allowed,
                clock=app.clock,
            )
        )

    @get("/files/{name:str}", sync_to_thread=True, summary="Download an export", media_type="application/octet-stream")
    def download(self, state: State, caller: NamedDependency[Scope], name: FromPath[str]) -> File:
        path = service.export_file(caller, state.settings.exports_path, name)
        media = "application/x-ndjson" if name.endswith(".jsonl") else "application/ion"
        return File(path=path, filename=name, media_type=media)
