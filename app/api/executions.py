"""`/api/v1/{tenant}/executions`: record what an execution read and wrote; read it back."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.api.deps import context
from app.domain.access import Scope
from app.domain.executions import ExecutionIn, ExecutionRecord
from app.services import executions as service


class ExecutionController(Controller):
    path = "/api/v1/{tenant:str}/executions"
    tags = ["executions"]

    @post(
        "/",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses={200: ResponseSpec(data_container=ExecutionRecord, description="Already recorded (a replay)")},
        summary="Record an execution",
        description="Send the flow YAML (`flow`) with `inputs`, or name a stored flow (`namespace`, `flowId`, "
        "optional `revision`), or give resolved `taskRuns`. 201 when recorded, 200 when this execution id "
        "was already recorded with the same content (nothing changes), 409 when with other content.",
    )
    def record(
        self,
        state: State,
        caller: NamedDependency[Scope],
        data: JSONBody[ExecutionIn],
    ) -> Response[ExecutionRecord]:
        app = context(state)
        plan = service.plan_execution(app.store, caller, data, app.sandbox, clock=app.clock, limits=app.limits)
        record, created = service.record_execution(
            app.store, caller, plan, clock=app.clock, committer=app.committer, outbox=app.outbox
        )
        return Response(record, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/{id:str}", sync_to_thread=True, summary="An execution as recorded")
    def get_one(self, state: State, caller: NamedDependency[Scope], id: FromPath[str]) -> ExecutionRecord:
        store = context(state).store
        return service.get_execution(store, caller, id)
