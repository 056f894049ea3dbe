"""The application factory: `create_app(settings)` builds a Litestar app; nothing is read at import."""

from __future__ import annotations

import logging

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.types import Receive, Scope, Send

from app import __version__
from app.api import problems
from app.api.assets import AssetController, AssetTypeController
from app.api.deps import provide_renderer, provide_scope, provide_store
from app.api.executions import ExecutionController
from app.api.expressions import ExpressionController
from app.api.flows import FlowController
from app.api.health import health, ready
from app.api.lineage import LineageController
from app.api.openlineage import OpenLineageController, ingest_default
from app.api.paths import keep_encoded_separators
from app.api.ship import ShipController
from app.domain.jqsandbox import JqSandbox
from app.domain.templating import Renderer
from app.settings import Settings
from app.store import open_store
from app.store.base import GraphStore

log = logging.getLogger(__name__)


class LineageApp(Litestar):
    """Litestar, with asset ids allowed to carry an encoded `/` (see `app.api.paths`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        keep_encoded_separators(scope)
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> Litestar:
    """Build the app. A `store` passed in is used and left open; otherwise one is opened from `settings`
    at start-up and closed at shutdown."""
    settings = settings or Settings()
    state = State({"settings": settings, "store": store, "auth": None, "renderer": Renderer(), "jq": JqSandbox()})

    def startup(app: Litestar) -> None:
        if app.state.store is None:
            app.state.store = open_store(settings)
            app.state.owns_store = True

    def shutdown(app: Litestar) -> None:
        app.state.jq.close()
        if app.state.get("owns_store") and app.state.store is not None:
            app.state.store.close()
            app.state.store = None

    return LineageApp(
        route_handlers=[
            health,
            ready,
            AssetController,
            AssetTypeController,
            ExecutionController,
            FlowController,
            LineageController,
            ExpressionController,
            OpenLineageController,
            ShipController,
            ingest_default,
        ],
        dependencies={
            "store": Provide(provide_store, sync_to_thread=False),
            "caller": Provide(provide_scope, sync_to_thread=False),
            "renderer": Provide(provide_renderer, sync_to_thread=False),
        },
        plugins=[problems.plugin()],
        state=state,
        on_startup=[startup],
        on_shutdown=[shutdown],
        request_max_body_size=settings.max_body_bytes,
        compression_config=CompressionConfig(backend="gzip", minimum_size=4096),
        openapi_config=OpenAPIConfig(
            title="Lineage",
            version=__version__,
            description="Assets, executions and lineage; OpenLineage in and out.",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        debug=False,
    )
