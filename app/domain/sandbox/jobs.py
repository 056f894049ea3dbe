"""The jobs a sandbox worker runs: every evaluation of user input. Each takes JSON-able arguments and `call`
(the way back to the server, for what needs the database) and returns a JSON-able answer.

- `expression`: a Pebble-style template with `assets()` (answered by the server) and `jq`;
- `flow`: a flow's YAML parsed and checked: identity, task ids, inputs and Kestra's document fields;
- `resolve`: a flow run resolved to its task runs and rendered asset declarations;
- `yaml`: any other YAML document (an asset, an AssetShipper request), parsed under the same limits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import msgspec

from app.domain import yamlsafe
from app.domain.executions import TaskRunContextIn, resolve_flow
from app.domain.flows import FlowSummary, parse_flow
from app.domain.sandbox.wire import JqError
from app.domain.templating import Renderer, TemplateError

Call = Callable[[str, dict[str, Any]], Any]

MAX_JQ_PROGRAM = 4_096
#: jq's module directives read `.jq` / `.json` files from disk; nothing here needs them.
_JQ_MODULE = re.compile(r"\b(import|include)\b")
_JQ_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|#[^\n]*')
_compiled: dict[str, Any] = {}


def _jq_program(program: Any) -> Any:
    import jq

    if not isinstance(program, str) or not program.strip():
        raise JqError("jq() needs a program, e.g. jq('.[].id')", field="expression")
    if len(program) > MAX_JQ_PROGRAM:
        raise JqError(f"jq program longer than {MAX_JQ_PROGRAM} characters", field="expression")
    if _JQ_MODULE.search(_JQ_STRING_OR_COMMENT.sub('""', program)):
        raise JqError("jq modules (import, include) are not available here", field="expression")
    if program not in _compiled:
        if len(_compiled) > 256:
            _compiled.clear()
        try:
            _compiled[program] = jq.compile(program)
        except ValueError as exc:
            raise JqError(f"jq({program!r}): {_first_line(exc)}", field="expression") from exc
    return _compiled[program]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _jq(value: Any, program: str) -> Any:
    """Kestra's `jq` filter: every output of the program, as a list; a string input is parsed as JSON."""
    compiled = _jq_program(program)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = msgspec.json.decode(value)
        except msgspec.DecodeError as exc:
            raise TemplateError(f"jq(): the input is a string that is not JSON ({exc})") from exc
    try:
        return compiled.input_value(plain(value)).all()
    except ValueError as exc:
        raise JqError(f"jq({program!r}): {_first_line(exc)}", field="expression") from exc


def plain(value: Any) -> Any:
    """A rendered value as JSON can carry it (a `range()` becomes its list, anything else its text)."""

    def hook(obj: Any) -> Any:
        if isinstance(obj, Iterator):
            return list(obj)
        return str(obj)

    return msgspec.to_builtins(value, enc_hook=hook)


_ASSETS_PARAMETERS = ("type", "namespace", "metadata", "deleted")


def _assets_function(call: Call) -> Callable[..., Any]:
    """`assets(type, namespace, metadata, deleted)`: the server answers, under the caller's grants."""

    def assets(*args: Any, **kwargs: Any) -> Any:
        if len(args) > len(_ASSETS_PARAMETERS):
            raise TemplateError(f"assets() takes at most {len(_ASSETS_PARAMETERS)} arguments")
        return call("assets", plain({**dict(zip(_ASSETS_PARAMETERS, args, strict=False)), **kwargs}))

    return assets


def expression(args: dict[str, Any], call: Call) -> dict[str, Any]:
    renderer = Renderer(functions={"assets": _assets_function(call)}, filters={"jq": _jq})
    value = renderer.evaluate(str(args["expression"]), dict(args.get("variables") or {}), field="expression")
    value = plain(value)
    try:
        rendered = value if isinstance(value, str) else renderer.output(value)
    except ValueError as exc:  # an integer with more digits than Python prints
        raise TemplateError(f"expression: the result cannot be printed ({exc})", field="expression") from exc
    if len(rendered) > renderer.max_output:
        raise TemplateError(f"expression: rendered output exceeds {renderer.max_output} characters", field="expression")
    return {"rendered": rendered, "value": value}


def flow(args: dict[str, Any], call: Call) -> Any:
    return plain(FlowSummary.of(parse_flow(str(args["source"]))))


def resolve(args: dict[str, Any], call: Call) -> dict[str, Any]:
    parsed = parse_flow(str(args["source"]))
    runs, stored_inputs, labels, notes = resolve_flow(
        parsed,
        execution_id=args["executionId"],
        given_inputs=dict(args.get("inputs") or {}),
        labels=dict(args.get("labels") or {}),
        state=args["state"],
        start_date=args["startDate"],
        revision=args.get("revision"),
        renderer=Renderer(),
        now=args["now"],
        task_runs=msgspec.convert(args.get("taskRunList") or [], list[TaskRunContextIn]),
    )
    return {
        "namespace": parsed.namespace,
        "flowId": parsed.id,
        "taskIds": parsed.task_ids(),
        "taskRuns": msgspec.to_builtins(runs),
        "inputs": plain(stored_inputs),
        "labels": labels,
        "notes": notes,
    }


def yaml(args: dict[str, Any], call: Call) -> Any:
    return yamlsafe.load(str(args["text"]), what=str(args.get("what") or "YAML")).data


JOBS: dict[str, Callable[[dict[str, Any], Call], Any]] = {
    "expression": expression,
    "flow": flow,
    "resolve": resolve,
    "yaml": yaml,
}
