"""`/api/v1/{tenant}/flows`: store Kestra flow YAML (every revision kept) and read it back."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.api.deps import context
from app.domain.access import Scope
from app.errors import BadRequest
from app.services import flows as service
from app.services.flows import FlowRecord

YAML_TYPES = ("application/x-yaml", "application/yaml", "text/yaml", "text/x-yaml", "text/plain")


async def yaml_body(request: Request) -> str:
    """The body of a request that sends YAML (a flow, an asset), as text."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media not in YAML_TYPES:
        raise BadRequest(f"send YAML (Content-Type one of {', '.join(YAML_TYPES)}), not {media}", field="content-type")
    raw = await request.body()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("the YAML body is not UTF-8", field="body") from exc


class FlowController(Controller):
    path = "/api/v1/{tenant:str}/flows"
    tags = ["flows"]

    @put(
        "/",
        summary="Store a flow (YAML body)",
        status_code=HTTP_201_CREATED,
        responses={200: ResponseSpec(data_container=FlowRecord, description="Unchanged (no new revision)")},
        description="Body: the flow's YAML (`Content-Type: application/x-yaml`). 201 with a new revision, "
        "200 when the source is unchanged. Tasks absent from the new revision leave current lineage.",
    )
    async def put_flow(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> Response[FlowRecord]:
        app = context(state)
        source = await yaml_body(request)
        record, created = await to_thread.run_sync(
            lambda: service.put_flow(app.store, caller, app.sandbox, source, clock=app.clock)
        )
        return Response(record, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @post(
        "/",
        summary="Create a flow (YAML body), as Kestra's API does",
        status_code=HTTP_200_OK,
        description="Kestra's `POST /flows`: 409 when the flow exists (update it with `PUT /flows/{namespace}/{id}`).",
    )
    async def create_flow(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
    ) -> FlowRecord:
        app = context(state)
        source = await yaml_body(request)
        return await to_thread.run_sync(
            lambda: service.create_flow(app.store, caller, app.sandbox, source, clock=app.clock)
        )

    @put("/{namespace:str}/{id:str}", summary="Update a stored flow (YAML body), as Kestra's API does")
    async def update_flow(
        self,
        request: Request,
        state: State,
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> FlowRecord:
        app = context(state)
        source = await yaml_body(request)
        return await to_thread.run_sync(
            lambda: service.update_flow(app.store, caller, app.sandbox, namespace, id, source, clock=app.clock)
        )

    @delete(
        "/{namespace:str}/{id:str}",
        sync_to_thread=True,
        summary="Delete a stored flow (its revisions and recorded lineage stay)",
    )
    def delete_flow(
        self,
        state: State,
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> None:
        store = context(state).store
        service.delete_flow(store, caller, namespace, id)

    @get("/", sync_to_thread=True, summary="Stored flows")
    def list_flows(
        self,
        state: State,
        caller: NamedDependency[Scope],
        namespace: Annotated[str | None, QueryParameter(max_length=256)] = None,
    ) -> list[FlowRecord]:
        store = context(state).store
        return service.list_flows(store, caller, namespace)

    @get("/{namespace:str}/{id:str}", sync_to_thread=True, summary="A stored flow (latest or a revision)")
    def get_flow(
        self,
        state: State,
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
        revision: Annotated[int | None, QueryParameter(ge=1)] = None,
        source: Annotated[bool, QueryParameter(description="Kestra's flag; the source is always included")] = True,
    ) -> FlowRecord:
        app = context(state)
        return service.get_flow(app.store, caller, app.sandbox, namespace, id, revision)

    @get("/{namespace:str}/{id:str}/revisions", sync_to_thread=True, summary="Every revision of a flow")
    def revisions(
        self,
        state: State,
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> list[FlowRecord]:
        store = context(state).store
        return service.list_revisions(store, caller, namespace, id)
