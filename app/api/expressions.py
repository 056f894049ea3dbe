"""`/api/v1/{tenant}/expressions` and input dropdowns: render `assets()` / `jq` templates."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from app.domain.access import Scope
from app.domain.sandbox import Sandbox
from app.services import expressions as service
from app.services.expressions import ExpressionIn, ExpressionOut, InputValues
from app.store.base import GraphStore


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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        sandbox: NamedDependency[Sandbox],
        data: JSONBody[ExpressionIn],
    ) -> ExpressionOut:
        return service.evaluate(store, caller, sandbox, data)

    @get(
        "/flows/{namespace:str}/{id:str}/inputs",
        sync_to_thread=True,
        summary="A stored flow's inputs, each `expression` resolved to its current values (dropdowns)",
    )
    def inputs(
        self,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        sandbox: NamedDependency[Sandbox],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> list[InputValues]:
        return service.flow_inputs(store, caller, sandbox, namespace, id)
