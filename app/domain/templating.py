"""The Pebble subset Kestra flows use, rendered by Jinja2 in a sandbox.

Kestra writes `{{ flow.namespace }}`, `{{ taskrun.value | slugify }}`, `{{ inputs.teams }}`; Jinja2 reads
the same syntax. What differs is policy, and it is enforced here:

- an unknown variable is an error that names it (`unknown variable inputs.team`), never an empty string;
- `secret()` is never evaluated: asset declarations and expressions may not reference secrets, and a
  SECRET input's value cannot be rendered;
- rendering is bounded in time and output size, and the sandbox refuses attribute access to Python
  internals and oversized `*` / `**` / `range`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from slugify import slugify as _slugify

from app.domain import pebble
from app.errors import InvalidInput

DEFAULT_TIME_LIMIT_S = 2.0
DEFAULT_MAX_OUTPUT = 1_000_000  # characters
MAX_TEMPLATE = 64 * 1024
MAX_RANGE = 10_000
MAX_SEQUENCE = 100_000

_SINGLE_EXPRESSION = re.compile(r"^\s*\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}\s*$", re.S)


class TemplateError(InvalidInput):
    title = "Invalid template"


class UnknownVariable(TemplateError):
    """A variable the request does not carry (a task's `workingDir` when only the flow was sent)."""


class SecretRefused(TemplateError):
    title = "Secrets are not rendered"


class Secret:
    """A SECRET input: present, so templates that merely pass it on work, but never renderable."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _refuse(self, *_: object) -> str:
        raise SecretRefused(f"input {self.name!r} is a SECRET and is never rendered or stored")

    __str__ = __html__ = __iter__ = __len__ = __bool__ = _refuse  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "******"


class Vars(dict):  # type: ignore[type-arg]
    """A mapping that knows its own path, so a missing key can be reported as `inputs.nope`."""

    path: str = ""

    @classmethod
    def wrap(cls, value: Any, path: str) -> Any:
        if isinstance(value, Mapping) and not isinstance(value, Vars):
            out = cls({k: cls.wrap(v, f"{path}.{k}") for k, v in value.items()})
            out.path = path
            return out
        return value


class _Limits(threading.local):
    deadline: float = float("inf")


_limits = _Limits()


def _check_deadline() -> None:
    if time.monotonic() > _limits.deadline:
        raise TemplateError("the template took longer than its time limit to render")


def _bounded_range(*args: int) -> Iterator[int]:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TemplateError(f"range() is limited to {MAX_RANGE} items")
    for i in rng:
        _check_deadline()
        yield i


def _secret(*_: object, **__: object) -> str:
    raise SecretRefused("secret() is never evaluated here: asset declarations and expressions cannot use secrets")


def _slugify_filter(value: Any) -> str:
    return _slugify(str(value))


def _default(value: Any, fallback: Any = "", boolean: bool = False) -> Any:
    """Pebble's `default`: used when the value is undefined, null or empty."""
    if isinstance(value, jinja2.Undefined) or value is None or value == "" or (boolean and not value):
        return fallback
    return value


def _pebble_output(value: Any) -> Any:
    """Print values as Kestra's Pebble does: lists and maps as JSON, booleans as true/false, null as empty."""
    if isinstance(value, list | tuple | dict):
        return _to_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, datetime):
        return pebble.iso(value)
    return value


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


class _Sandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("exponent too large")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                    raise SecurityError(f"sequence repetition beyond {MAX_SEQUENCE} items")
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_deadline()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_deadline()
        if isinstance(obj, Vars):
            if attribute in obj:
                return obj[attribute]
            return self.undefined(hint=f"unknown variable {obj.path}.{attribute}", obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Vars) and isinstance(argument, str) and argument not in obj:
            return self.undefined(hint=f"unknown variable {obj.path}.{argument}", obj=obj, name=argument)
        return super().getitem(obj, argument)


class _Undefined(jinja2.StrictUndefined):
    """Fails on any use, with the full name of what was missing. `a.b.c` of a missing `a.b` stays undefined
    (naming `a.b`) rather than failing at once, so Pebble's `a.b.c ?? 'x'` can test it."""

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        hint = self._undefined_hint or (
            f"unknown variable {self._undefined_name}" if self._undefined_obj is jinja2.utils.missing else None
        )
        raise UnknownVariable(hint or f"unknown variable {self._undefined_name}")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, _: Any) -> Any:
        return self

    __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __hash__ = _fail_with_undefined_error  # type: ignore[assignment]


class Renderer:
    """Renders templates against a context; extra functions and filters plug in (`assets()`, `jq`)."""

    def __init__(
        self,
        *,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        filters: Mapping[str, Callable[..., Any]] | None = None,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        max_output: int = DEFAULT_MAX_OUTPUT,
    ) -> None:
        env = _Sandbox(undefined=_Undefined, autoescape=False, keep_trailing_newline=True, finalize=_pebble_output)
        env.globals.clear()
        env.globals.update(
            {
                "range": _bounded_range,
                "secret": _secret,
                "null": None,
                "__nc": pebble.null_coalesce,
                "__uc": pebble.undefined_coalesce,
                **(functions or {}),
            }
        )
        env.filters.update(
            {
                "slugify": _slugify_filter,
                "default": _default,
                "toJson": _to_json,
                "json": _to_json,
                "date": pebble.date_format,
                "dateAdd": pebble.date_add,
                **(filters or {}),
            }
        )
        self.env = env
        self.time_limit_s = time_limit_s
        self.max_output = max_output

    def _context(self, context: Mapping[str, Any]) -> dict[str, Any]:
        return {k: Vars.wrap(v, k) for k, v in context.items()}

    def _guard(self, template: str, field: str) -> None:
        if len(template) > MAX_TEMPLATE:
            raise TemplateError(f"{field}: template longer than {MAX_TEMPLATE} characters", field=field)

    def _run(self, field: str, template: str, fn: Callable[[], Any]) -> Any:
        previous = _limits.deadline
        _limits.deadline = time.monotonic() + self.time_limit_s
        try:
            return fn()
        except TemplateError as exc:
            exc.field = exc.field or field
            exc.detail = f"{field}: {exc.detail}" if not exc.detail.startswith(f"{field}:") else exc.detail
            exc.extra.setdefault("template", template)
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{field}: template syntax error at line {exc.lineno}: {exc.message}",
                field=field,
                template=template,
                templateLine=exc.lineno,
            ) from exc
        except SecurityError as exc:
            raise TemplateError(f"{field}: refused by the sandbox: {exc}", field=field, template=template) from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{field}: {exc}", field=field, template=template) from exc
        except InvalidInput as exc:
            exc.field = exc.field or field
            raise
        except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
            raise TemplateError(f"{field}: {type(exc).__name__}: {exc}", field=field, template=template) from exc
        finally:
            _limits.deadline = previous

    def render(self, template: str, context: Mapping[str, Any], *, field: str = "template") -> str:
        """Render to a string; output beyond `max_output` characters is an error, not a truncation."""
        self._guard(template, field)
        if "{" not in template:
            return template

        def go() -> str:
            compiled = self.env.from_string(pebble.to_jinja(template))
            out: list[str] = []
            size = 0
            for chunk in compiled.generate(self._context(context)):
                _check_deadline()
                size += len(chunk)
                if size > self.max_output:
                    raise TemplateError(f"rendered output exceeds {self.max_output} characters")
                out.append(chunk)
            return "".join(out)

        return str(self._run(field, template, go))

    def evaluate(self, template: str, context: Mapping[str, Any], *, field: str = "template") -> Any:
        """The native value of a template that is one `{{ expression }}` (a list stays a list, as Pebble
        hands ForEach its values); any other template renders to a string."""
        self._guard(template, field)
        m = _SINGLE_EXPRESSION.match(template)
        if not m:
            return self.render(template, context, field=field)
        expression = m.group("expr").strip()

        def go() -> Any:
            compiled = self.env.compile_expression(pebble.rewrite_expression(expression), undefined_to_none=False)
            value = compiled(**self._context(context))
            if isinstance(value, jinja2.Undefined):
                str(value)  # raises the unknown-variable error
            return value

        return self._run(field, template, go)

    def output(self, value: Any) -> str:
        """A value as a template prints it (see `_pebble_output`)."""
        return str(_pebble_output(value))

    def parse_check(self, template: str, *, field: str = "template") -> None:
        """Syntax-check without rendering (used when a flow is stored)."""
        self._guard(template, field)
        self._run(field, template, lambda: self.env.parse(pebble.to_jinja(template)))


def references_secret(template: str) -> bool:
    """Whether a template calls `secret()` anywhere (checked before anything is rendered)."""
    try:
        tree = jinja2.Environment().parse(template)
    except jinja2.TemplateSyntaxError:
        return False
    return any(isinstance(n.node, nodes.Name) and n.node.name == "secret" for n in tree.find_all(nodes.Call))
