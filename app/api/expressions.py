"""`/api/v1/{tenant}/expressions` and input dropdowns: render `assets()` / `jq` templates."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from app.domain.access import Scope
from app.errors import InvalidInput
from app.services import expressions as service
from app.services.expressions import ExpressionIn, ExpressionOut
from app.services.flows import load_flow
from app.store.base import GraphStore


class InputValues(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: str
    type: str
    values: list[Any] | None = None
    defaults: Any = None
    expression: str | None = None
    error: str | None = None


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
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        data: JSONBody[ExpressionIn],
    ) -> ExpressionOut:
        return service.evaluate(store, caller, state.jq, data)

    @get(
        "/flows/{namespace:str}/{id:str}/inputs",
        sync_to_thread=True,
        summary="A stored flow's inputs, each `expression` resolved to its current values (dropdowns)",
    )
    def inputs(
        self,
        state: State,
        store: NamedDependency[GraphStore],
        caller: NamedDependency[Scope],
        namespace: FromPath[str],
        id: FromPath[str],
    ) -> list[InputValues]:
        flow, _ = load_flow(store, caller, namespace, id)
        out = []
        for spec in flow.inputs:
            item = InputValues(
                id=spec.id, type=spec.type, values=spec.values, defaults=spec.defaults, expression=spec.expression
            )
            if spec.expression:
                try:
                    value = service.evaluate(store, caller, state.jq, ExpressionIn(expression=spec.expression)).value
                    if isinstance(value, str):
                        value = msgspec.json.decode(value) if value.strip().startswith("[") else [value]
                    item.values = value if isinstance(value, list) else [value]
                except (InvalidInput, msgspec.DecodeError) as exc:
                    item.error = getattr(exc, "detail", str(exc))
            out.append(item)
        return out
