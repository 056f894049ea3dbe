"""Pebble-style expressions with `assets()` and `jq`, as Kestra's input dropdowns and apps use them.

`{{ assets(type="io.kestra.core.models.assets.Table") | jq(".[].id") }}` renders to `["trips", ...]`: the
function returns the caller's visible assets as objects (`tenantId, namespace, id, type, displayName,
description, metadata, created, updated, deleted`), `jq` returns every output of its program as a list
(as Kestra's filter does), and lists and maps render as JSON.
"""

from __future__ import annotations

from typing import Any

import msgspec

from app.domain import limits
from app.domain.access import Scope
from app.domain.assets import Asset
from app.domain.sandbox import Sandbox
from app.domain.templating import TemplateError
from app.errors import InvalidInput
from app.services.assets import AssetFilter, list_assets
from app.services.flows import flow_source, summarize
from app.store.base import GraphStore

#: The most assets one `assets()` call returns; narrow the filters beyond that.
MAX_ASSETS = 10_000
MAX_EXPRESSION = 16 * 1024


class ExpressionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    expression: str
    variables: dict[str, Any] = msgspec.field(default_factory=dict)


class InputValues(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A stored flow's input for a dropdown: its `expression` resolved to its current `values` (or the error)."""

    id: str
    type: str
    values: list[Any] | None = None
    defaults: Any = None
    expression: str | None = None
    error: str | None = None


class ExpressionOut(msgspec.Struct, kw_only=True):
    rendered: str
    #: the value itself when the expression is one `{{ ... }}` (a list stays a list), else the rendered text
    value: Any


def asset_object(asset: Asset) -> dict[str, Any]:
    return msgspec.to_builtins(asset)  # type: ignore[no-any-return]


def assets_function(store: GraphStore, scope: Scope) -> Any:
    def assets(
        type: Any = None,
        namespace: Any = None,
        metadata: Any = None,
        deleted: Any = False,
        **unknown: Any,
    ) -> list[dict[str, Any]]:
        if unknown:
            raise TemplateError(f"assets() takes type, namespace, metadata and deleted, not {sorted(unknown)}")
        for name, value, limit in (("type", type, limits.MAX_TYPE), ("namespace", namespace, limits.MAX_NAMESPACE)):
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                raise TemplateError(f"assets({name}=...) takes a string of at most {limit} characters")
        if metadata is not None and not isinstance(metadata, dict):
            raise TemplateError('assets(metadata=...) takes a map, e.g. metadata={"model_layer": "mart"}')
        flt = AssetFilter(
            type=type or None, namespace=namespace or None, metadata=dict(metadata or {}), include_deleted=bool(deleted)
        )
        page = list_assets(store, scope, flt, page=1, size=limits.MAX_PAGE_SIZE)
        if page.total > limits.MAX_PAGE_SIZE:
            if page.total > MAX_ASSETS:
                raise TemplateError(f"assets() matched {page.total} assets, more than {MAX_ASSETS}: narrow the filters")
            results = list(page.results)
            for n in range(2, -(-page.total // limits.MAX_PAGE_SIZE) + 1):
                results += list_assets(store, scope, flt, page=n, size=limits.MAX_PAGE_SIZE).results
            return [asset_object(a) for a in results]
        return [asset_object(a) for a in page.results]

    return assets


def evaluate(store: GraphStore, scope: Scope, sandbox: Sandbox, body: ExpressionIn) -> ExpressionOut:
    """The expression rendered in the sandbox; `assets()` is answered here, under the caller's grants."""
    if len(body.expression) > MAX_EXPRESSION:
        raise InvalidInput(f"expression: longer than {MAX_EXPRESSION} characters", field="expression")
    answer = sandbox.run(
        "expression",
        {"expression": body.expression, "variables": body.variables},
        owner=scope.owner,
        field="expression",
        callbacks={"assets": assets_function(store, scope)},
    )
    return ExpressionOut(rendered=answer["rendered"], value=answer["value"])


def flow_inputs(store: GraphStore, scope: Scope, sandbox: Sandbox, namespace: str, flow_id: str) -> list[InputValues]:
    """A stored flow's inputs, each `expression` evaluated now (an input whose expression fails says why)."""
    source, _ = flow_source(store, scope, namespace, flow_id)
    out = []
    for spec in summarize(sandbox, scope, source).inputs:
        item = InputValues(
            id=spec.id, type=spec.type, values=spec.values, defaults=spec.defaults, expression=spec.expression
        )
        if spec.expression:
            try:
                value = evaluate(store, scope, sandbox, ExpressionIn(expression=spec.expression)).value
                if isinstance(value, str):
                    value = msgspec.json.decode(value) if value.strip().startswith("[") else [value]
                item.values = value if isinstance(value, list) else [value]
            except (InvalidInput, msgspec.DecodeError) as exc:
                item.error = getattr(exc, "detail", str(exc))
        out.append(item)
    return out
