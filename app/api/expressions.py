"""`/api/v1/{tenant}/expressions` and input dropdowns: render `assets()` / `jq` templates."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from app.api.deps import context
from app.domain.access import Scope
from app.services import expressions as service
from app.services.expressions import ExpressionIn, ExpressionOut, InputValues


class ExpressionController(Controller):
    path = "/api/v1/{tenant:str}"
    tags = ["expressions"]

    @post(
        "/expressions",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        opt={"role": "viewer"},
        summary="Render a Pebble-style expression with assets() and jq",
        description="e.g. `{{ assets(type='io.kestra.plugin.ee.assets.Table') | jq('.[].id') }}`: returns the "
        "rendered text and, for a single `{{ ... }}`, the value itself.",
    )
    def evaluate(
        self,
        state: State,
        caller: NamedDependency[Scope],
        data: JSONBody[ExpressionIn],
    ) -> ExpressionOut:
        app = context(state)
        return service.evaluate(app.store, caller, app.sandbox, data)

    @get(
        "/flows/{namespace:str}/{id:str}/inputs",
        sync_to_thread=True,
        summary="A stored flow's inputs, each `expression` resolved to its current values (dropdowns)",
    )
    def inputs(
        self,
        state: State,
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> list[InputValues]:
        app = context(state)
        return service.flow_inputs(app.store, caller, app.sandbox, namespace, id)
