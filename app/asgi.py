"""The application factory: `create_app(settings)` builds a Litestar app; nothing is read at import."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from litestar import Litestar
from litestar.concurrency import set_asyncio_executor
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.types import Receive, Scope, Send

from app import __version__
from app.api import problems
from app.api.assets import AssetCollectionController, AssetController, AssetTypeController
from app.api.deps import AppContext, provide_scope
from app.api.encoding import decoding
from app.api.executions import ExecutionController
from app.api.expressions import ExpressionController
from app.api.flows import FlowController
from app.api.health import health, ready
from app.api.lineage import ColumnController, LineageController
from app.api.locks import LockController
from app.api.openapi import document_files_when_built, document_problems
from app.api.openlineage import OpenLineageController, ingest_default
from app.api.outbox import outbox
from app.api.paths import keep_encoded_separators
from app.api.ship import ShipController
from app.api.stats import stats
from app.api.usages import UsageController
from app.api.web import index, static_files
from app.auth import Authenticator, AuthFileError
from app.domain.sandbox import Sandbox
from app.services.group_commit import GroupCommit
from app.services.lineage import plan_first_questions
from app.services.run_merging import merge_items
from app.settings import Settings
from app.sinks.delivery import start_sinks
from app.store import open_store
from app.store.base import GraphStore
from app.timeutil import Clock, now_iso

log = logging.getLogger(__name__)


class LineageApp(Litestar):
    """Litestar, with asset ids allowed to carry an encoded `/` (see `app.api.paths`), and OPTIONS answered
    with every method of the path (Litestar's own OPTIONS lists only the first handler registered on it)."""

    _allow: list[tuple[re.Pattern[str], str]] | None = None

    def _allow_table(self) -> list[tuple[re.Pattern[str], str]]:
        if self._allow is None:
            table = []
            # a static segment wins over a parameter, as in routing: /assets/search before /assets/{id}
            for route in sorted(self.routes, key=lambda r: r.path.count("{")):
                methods = getattr(route, "methods", None)
                if not methods:
                    continue
                pattern = re.sub(r"\\\{\w+:path\\\}", ".*", re.escape(route.path))
                pattern = re.sub(r"\\\{\w+(?::\w+)?\\\}", "[^/]+", pattern)
                table.append((re.compile(f"^{pattern}/?$"), ", ".join(sorted(set(methods) | {"OPTIONS"}))))
            self._allow = table
        return self._allow

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        keep_encoded_separators(scope)
        if scope["type"] == "http":
            receive = decoding(scope, receive, self.state.settings.max_body_bytes)
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            for pattern, allow in self._allow_table():
                if pattern.match(scope["path"]):
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 204,
                            "headers": [(b"allow", allow.encode()), (b"content-length", b"0")],
                        }
                    )
                    await send({"type": "http.response.body", "body": b""})
                    return
        await super().__call__(scope, receive, send)


OPEN_WARNING = """
******************************************************************************************
*  NO AUTH FILE: this server is OPEN. Anyone who reaches it can read and write every      *
*  tenant. Create tokens with `lineage token create` and start with --auth-file (or       *
*  LINEAGE_AUTH_FILE); use --require-auth in production so this cannot happen silently.  *
******************************************************************************************"""


def authenticator(settings: Settings) -> Authenticator | None:
    if settings.auth_file is not None:
        auth = Authenticator(settings.auth_file)
        log.info("authentication: bearer tokens from %s", settings.auth_file)
        return auth
    if settings.require_auth:
        raise AuthFileError("--require-auth is set but no auth file is configured (--auth-file / LINEAGE_AUTH_FILE)")
    log.warning(OPEN_WARNING)
    return None


def plan(store: GraphStore, planned: threading.Event) -> None:
    """Plan the lineage questions in the background; `/ready` answers 200 once they are (or could not be)."""
    try:
        started = time.monotonic()
        plan_first_questions(store)
        log.info("lineage queries planned in %.1f s", time.monotonic() - started)
    except Exception as exc:  # the database is down or refuses: /ready says so on its own
        log.warning("could not plan the lineage queries ahead: %s", exc)
    finally:
        planned.set()


ROUTES = [
    health,
    ready,
    AssetController,
    AssetCollectionController,
    UsageController,
    LockController,
    AssetTypeController,
    ExecutionController,
    FlowController,
    LineageController,
    ColumnController,
    ExpressionController,
    OpenLineageController,
    ShipController,
    stats,
    outbox,
    index,
    static_files,
    ingest_default,
]

#: The one dependency handlers take by name, the caller's scope; the rest they read from `AppContext`.
DEPENDENCIES = {"caller": Provide(provide_scope, sync_to_thread=False)}


def startup(app: Litestar) -> None:
    """Open what the app owns: the sandbox's first worker, the store (unless one was given), the group commits,
    the planning of the lineage questions (in the background: `/ready` waits for it), the sinks."""
    settings: Settings = app.state.settings
    if settings.sandbox_prewarm:
        app.state.sandbox.prewarm()
    if app.state.store is None:
        app.state.store = open_store(settings)
        app.state.owns_store = True
    window_s, max_items = settings.group_commit_ms / 1000, settings.group_commit_max
    app.state.context = AppContext(
        store=app.state.store,
        clock=app.state.clock,
        committer=GroupCommit(app.state.store, window_s=window_s, max_items=max_items),
        run_committer=GroupCommit(
            app.state.store, window_s=window_s, max_items=max_items, write=merge_items, key=lambda item: item.key
        ),
        sandbox=app.state.sandbox,
        limits=settings.ingest_limits,
        outbox=settings.outbox_enabled,
        summary_keys=settings.summary_key_list,
    )
    if settings.plan_at_start:
        threading.Thread(target=plan, args=(app.state.store, app.state.planned), daemon=True, name="plan").start()
    else:
        app.state.planned.set()
    app.state.sinks = start_sinks(app.state.store, settings)


def shutdown(app: Litestar) -> None:
    for sink in app.state.get("sinks") or []:
        sink.stop()
    app.state.sandbox.close()
    if app.state.get("owns_store") and app.state.store is not None:
        app.state.store.close()
        app.state.store = None


def create_app(
    settings: Settings | None = None, *, store: GraphStore | None = None, clock: Clock = now_iso
) -> Litestar:
    """Build the app. A `store` passed in is used and left open; otherwise one is opened from `settings`
    at start-up and closed at shutdown."""
    settings = settings or Settings()
    auth = authenticator(settings)
    settings.ship_allowed  # noqa: B018  (a bad LINEAGE_SHIP_ALLOW stops start-up, not a request)
    state = State(
        {
            "settings": settings,
            "store": store,
            "clock": clock,
            "auth": auth,
            "sandbox": Sandbox(settings.sandbox),
            "planned": threading.Event(),
        }
    )
    app = LineageApp(
        route_handlers=ROUTES,
        dependencies=DEPENDENCIES,
        plugins=[problems.plugin()],
        state=state,
        on_startup=[startup],
        on_shutdown=[shutdown],
        request_max_body_size=settings.max_body_bytes,
        # gzip level 1: lineage JSON is repetitive, level 1 takes most of the gain at a seventh of level 9's cost
        # (docs/measurements.md)
        compression_config=CompressionConfig(backend="gzip", minimum_size=4096, gzip_compress_level=1),
        openapi_config=OpenAPIConfig(
            title="Lineage",
            version=__version__,
            description="Assets, executions and lineage; OpenLineage in and out.",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        debug=False,
    )
    document_problems(app)
    document_files_when_built(app)
    return app


# -- serving ----------------------------------------------------------------------------------------------------

#: threads that run request handlers (each may wait on the database or a sandbox worker)
REQUEST_THREADS = 40
#: the settings `lineage serve --workers N` hands its worker processes (Settings.dump)
SETTINGS_VARIABLE = "LINEAGE_SERVE_SETTINGS"
#: the pid of that `lineage serve`, the workers' parent
PARENT_VARIABLE = "LINEAGE_SERVE_PARENT"
#: prctl(2): the signal a process receives when its parent ends
PR_SET_PDEATHSIG = 1


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def set_request_threads() -> None:
    """Litestar runs sync handlers in the loop's default executor, min(32, cores + 4) threads: on 2 cores six slow
    requests (renders at their time limit, hub searches) would hold every thread and queue all other routes."""
    executor = ThreadPoolExecutor(max_workers=REQUEST_THREADS, thread_name_prefix="lineage-request")
    try:  # a worker process: uvicorn builds its app in the running loop, whose default executor Litestar uses
        asyncio.get_running_loop().set_default_executor(executor)
    except RuntimeError:
        set_asyncio_executor(executor)


def worker_app() -> Litestar:
    """One worker process of `lineage serve --workers N` (uvicorn's factory): the settings its parent checked."""
    _end_with_parent()
    settings = Settings.load(os.environ[SETTINGS_VARIABLE])
    configure_logging(settings.log_level)
    set_request_threads()
    app = create_app(settings)
    freeze_start_up_objects()
    return app


def freeze_start_up_objects() -> None:
    """What a server built to start (its modules, the app and its schemas, the store) lives as long as it does:
    frozen, out of the collector's way, a full collection walks only what requests allocate. A batch of OpenLineage
    events allocates enough to trigger one every second or so, and each walked every start-up object too
    (docs/measurements.md: Garbage collection). Not for apps built in tests, whose garbage must stay collectable."""
    gc.collect()
    gc.freeze()


def _end_with_parent() -> None:
    """A worker whose parent is killed (`kill -9`, the OOM killer) would go on serving the port alone, with nobody to
    stop it: Linux sends it SIGTERM then (a clean stop), and one orphaned before this line stops at once."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if str(os.getppid()) != os.environ.get(PARENT_VARIABLE):
        os.kill(os.getpid(), signal.SIGTERM)
