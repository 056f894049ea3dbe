"""`/api/v1/{tenant}/flows`: store Kestra flow YAML (every revision kept) and read it back."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.domain.access import Scope
from app.errors import BadRequest
from app.services import flows as service
from app.services.flows import FlowRecord
from app.store.base import GraphStore
from app.timeutil import Clock

YAML_TYPES = ("application/x-yaml", "application/yaml", "text/yaml", "text/x-yaml", "text/plain")


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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        clock: NamedDependency[Clock],
    ) -> Response[FlowRecord]:
        from anyio import to_thread

        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media and media not in YAML_TYPES:
            raise BadRequest(
                f"send the flow as YAML (Content-Type one of {', '.join(YAML_TYPES)}), not {media}",
                field="content-type",
            )
        raw = await request.body()
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest("the flow YAML is not UTF-8", field="body") from exc
        record, created = await to_thread.run_sync(lambda: service.put_flow(store, caller, source, clock=clock))
        return Response(record, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/", sync_to_thread=True, summary="Stored flows")
    def list_flows(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        namespace: Annotated[str | None, QueryParameter(max_length=256)] = None,
    ) -> list[FlowRecord]:
        return service.list_flows(store, caller, namespace)

    @get("/{namespace:str}/{id:str}", sync_to_thread=True, summary="A stored flow (latest or a revision)")
    def get_flow(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
        revision: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> FlowRecord:
        return service.get_flow(store, caller, namespace, id, revision)

    @get("/{namespace:str}/{id:str}/revisions", sync_to_thread=True, summary="Every revision of a flow")
    def revisions(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> list[FlowRecord]:
        return service.list_revisions(store, caller, namespace, id)
