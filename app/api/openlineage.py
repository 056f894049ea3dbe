"""OpenLineage over HTTP: the pull feed, and ingestion at the OpenLineage HTTP transport's default path."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from app.api.deps import context, provide_scope
from app.domain import jsonsafe
from app.domain.access import Scope
from app.services import openlineage as service
from app.services.openlineage import (
    DEFAULT_EVENTS,
    MAX_BATCH_EVENTS,
    MAX_EVENTS,
    EventBatchResult,
    EventPage,
    IngestResult,
    RunDetail,
)

DEFAULT_TENANT = "main"


async def _event(request: Request) -> Any:
    return jsonsafe.decode(await request.body())


class OpenLineageController(Controller):
    path = "/api/v1/{tenant:str}/openlineage"
    tags = ["openlineage"]

    @get(
        "/events",
        sync_to_thread=True,
        summary="OpenLineage RunEvents of recorded task runs, oldest first",
        description="A START and (for finished executions) a COMPLETE / FAIL / ABORT event per task run; job "
        "namespace = flow namespace, job name = `flowId.taskId`, a `parent` facet names the execution. Page "
        "with `nextCursor`.",
    )
    def events(
        self,
        state: State,
        caller: NamedDependency[Scope],
        after: Annotated[
            str | None,
            QueryParameter(
                description="executions started at or after (ISO 8601)", schema_extra={"format": "date-time"}
            ),
        ] = None,
        before: Annotated[
            str | None,
            QueryParameter(description="executions started before (ISO 8601)", schema_extra={"format": "date-time"}),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_EVENTS)] = DEFAULT_EVENTS,
        cursor: Annotated[str | None, QueryParameter(max_length=2048)] = None,
    ) -> EventPage:
        store = context(state).store
        return service.pull_events(store, caller, after=after, before=before, limit=limit, cursor=cursor)

    @post(
        "/lineage", status_code=HTTP_200_OK, summary="Ingest one OpenLineage event (RunEvent, DatasetEvent, JobEvent)"
    )
    async def ingest(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> IngestResult:
        app = context(state)
        event = await _event(request)
        return await to_thread.run_sync(
            lambda: service.ingest(
                app.store,
                caller,
                event,
                clock=app.clock,
                limits=app.limits,
                outbox=app.outbox,
                committer=app.run_committer,
            )
        )

    @post(
        "/batch",
        status_code=HTTP_200_OK,
        summary="Ingest many OpenLineage events: a JSON array or JSON Lines (backfills, replays)",
        description=f"Each event is validated and answered on its own (`items[].status`: its result or problem); the "
        "events of one run in the batch are applied together in one transaction, every other run and event in its "
        f"own. At most {MAX_BATCH_EVENTS} events and the body limit. A run's events may be spread over batches, in "
        "any order.",
    )
    async def batch(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> EventBatchResult:
        app = context(state)
        events = service.parse_batch(await request.body())
        return await to_thread.run_sync(
            lambda: service.ingest_batch(
                app.store, caller, events, clock=app.clock, limits=app.limits, outbox=app.outbox
            )
        )

    @get(
        "/runs/{runId:str}",
        sync_to_thread=True,
        summary="An OpenLineage run: its events merged so far, its state, parent and child runs",
    )
    def run(self, state: State, caller: NamedDependency[Scope], runId: FromPath[str]) -> RunDetail:
        store = context(state).store
        return service.get_run(store, caller, runId)


@post(
    "/api/v1/lineage",
    status_code=HTTP_200_OK,
    tags=["openlineage"],
    summary="Ingest one OpenLineage event into the default tenant (the HTTP transport's default path)",
)
async def ingest_default(
    request: Request,
    state: State,
) -> IngestResult:
    app = context(state)
    caller = provide_scope(request, DEFAULT_TENANT)
    event = await _event(request)
    return await to_thread.run_sync(
        lambda: service.ingest(
            app.store, caller, event, clock=app.clock, limits=app.limits, outbox=app.outbox, committer=app.run_committer
        )
    )
