"""Executions: the three ways to describe one, and how a flow resolves to task runs and assets.

1. `{"flow": "<YAML>", "inputs": {...}}`: the flow is parsed and its asset declarations rendered.
2. `{"namespace", "flowId", "inputs"}`: the same, with the latest (or given) revision of a stored flow.
3. `{"namespace", "flowId", "taskRuns": [...]}`: for non-Kestra clients, task runs already resolved.

Resolution is pure: no database. One task run per task, and per value for tasks inside a ForEach;
nested ForEach task runs carry the chain of values (`["a","x"]`) so that each is its own slot.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from app.domain import limits
from app.domain.assets import check_metadata, fingerprint
from app.domain.flows import AssetDecl, Flow, FlowError, Task
from app.domain.templating import Renderer, Secret, TemplateError, UnknownVariable, references_secret
from app.domain.types import canonical_type
from app.errors import BadRequest, InvalidInput
from app.timeutil import normalize_iso, seconds_after

STATES = (
    "CREATED",
    "QUEUED",
    "RUNNING",
    "PAUSED",
    "RESTARTED",
    "KILLING",
    "SUCCESS",
    "WARNING",
    "FAILED",
    "KILLED",
    "CANCELLED",
    "RETRYING",
    "RETRIED",
    "SKIPPED",
    "BREAKPOINT",
    "SUBMITTED",
    "RESUBMITTED",
)
FAILED_STATES = ("FAILED", "KILLED")
#: A run in one of these states is history, never the current lineage of its tasks: the last successful run of
#: a task slot stays current (a failed run appears in usages and in `history=true` answers).
UNSUCCESSFUL_STATES = ("FAILED", "KILLED", "CANCELLED")
MAX_TASK_RUNS = 10_000
MAX_ASSETS_PER_TASK_RUN = 1_000
EXECUTION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
_PRINTABLE = re.compile(limits.PRINTABLE_PATTERN)
_NAMESPACE = re.compile(limits.NAMESPACE_PATTERN)

ExecutionId = Annotated[str, Meta(pattern=EXECUTION_ID_PATTERN, description="1-100 letters, digits, '.', '_', '-'")]
State = Annotated[str, Meta(pattern="^(" + "|".join(STATES) + ")$")]


class TaskRunAssetsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    inputs: list[AssetDecl] = msgspec.field(default_factory=list)
    outputs: list[AssetDecl] = msgspec.field(default_factory=list)


class TaskRunIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    taskId: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")]
    value: str | None = None
    assets: TaskRunAssetsIn = msgspec.field(default_factory=TaskRunAssetsIn)


class TaskRunContextIn(msgspec.Struct, kw_only=True):
    """What a task run knew when Kestra rendered its asset declarations, as Kestra's execution JSON lists it in
    `taskRunList` (its other fields are ignored): the variables only a run has (`taskrun.id`, `workingDir`,
    `outputs.<task>`)."""

    taskId: str
    id: str | None = None
    value: str | None = None
    outputs: dict[str, Any] = msgspec.field(default_factory=dict)
    workingDir: str | None = None


class ExecutionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Body of `POST /api/v1/{tenant}/executions`; exactly one of `flow`, `taskRuns`, or a stored flow."""

    flow: str | None = None
    namespace: str | None = None
    flowId: str | None = None
    revision: int | None = None
    taskRuns: list[TaskRunIn] | None = None
    taskRunList: list[TaskRunContextIn] = msgspec.field(default_factory=list)
    inputs: dict[str, Any] = msgspec.field(default_factory=dict)
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    id: ExecutionId | None = None
    state: State = "SUCCESS"
    startDate: str | None = None
    endDate: str | None = None


class ResolvedAsset(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    id: str
    namespace: str | None = None
    type: str | None = None
    displayName: str | None = None
    description: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class TaskRun(msgspec.Struct, kw_only=True):
    taskId: str
    value: str = ""
    inputs: list[ResolvedAsset] = msgspec.field(default_factory=list)
    outputs: list[ResolvedAsset] = msgspec.field(default_factory=list)


class ExecutionPlan(msgspec.Struct, kw_only=True):
    """What will be recorded: resolved, validated, not yet authorized against the store."""

    id: str
    namespace: str
    flowId: str
    revision: int | None
    state: str
    startDate: str
    endDate: str | None
    inputs: dict[str, Any]  # as stored: SECRET inputs redacted
    labels: dict[str, str]
    taskRuns: list[TaskRun]
    notes: list[str] = msgspec.field(default_factory=list)
    taskIds: list[str] | None = None  # every task id of the flow (forms 1 and 2)
    openlineage: dict[str, Any] | None = None  # the OpenLineage event this execution was recorded from
    startGiven: bool = False  # a server-chosen start date is not part of what makes a replay identical


class TaskRunRecord(msgspec.Struct, kw_only=True):
    taskId: str
    value: str | None
    inputs: list[str]
    outputs: list[str]


class ExecutionRecord(msgspec.Struct, kw_only=True):
    tenantId: str
    id: str
    namespace: str
    flowId: str
    flowRevision: int | None
    state: str
    startDate: str
    endDate: str | None
    recorded: str
    inputs: dict[str, Any]
    labels: dict[str, str]
    taskRuns: list[TaskRunRecord]
    notes: list[str] = msgspec.field(default_factory=list)
    #: the OpenLineage event this execution was recorded from, kept whole (facets included)
    openlineage: dict[str, Any] | None = None


def new_execution_id() -> str:
    """Kestra-style: 22 base62 characters."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(22))


def value_of(chain: list[str]) -> str:
    if not chain:
        return ""
    if len(chain) == 1:
        return chain[0]
    return json.dumps(chain, ensure_ascii=False, separators=(",", ":"))


def _as_value(item: Any) -> str:
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False, separators=(",", ":"))


# -- inputs -------------------------------------------------------------------------------------------


def _coerce(flow: Flow, name: str, value: Any) -> Any:
    spec = flow.input(name)
    assert spec is not None
    field = f"inputs.{name}"
    kind = spec.type.upper()
    try:
        if kind in ("INT", "INTEGER"):
            return int(value)
        if kind == "FLOAT":
            return float(value)
        if kind in ("BOOLEAN", "BOOL"):
            if isinstance(value, str):
                if value.lower() not in ("true", "false"):
                    raise ValueError(value)
                return value.lower() == "true"
            return bool(value)
        if kind in ("MULTISELECT", "ARRAY"):
            if isinstance(value, str):
                value = json.loads(value) if value.strip().startswith("[") else [v.strip() for v in value.split(",")]
            if not isinstance(value, list):
                raise ValueError("expected a list")
            if spec.values is not None and kind == "MULTISELECT":
                bad = [v for v in value if v not in spec.values]
                if bad:
                    raise InvalidInput(f"{field}: {bad} not among the allowed values {spec.values}", field=field)
            return value
        if kind == "SELECT" and spec.values is not None and value not in spec.values:
            raise InvalidInput(f"{field}: {value!r} not among the allowed values {spec.values}", field=field)
        if kind == "JSON" and isinstance(value, str):
            return json.loads(value)
        if kind == "SECRET":
            return Secret(name)
        return value
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{field}: not a valid {kind} value ({exc})", field=field) from exc


def resolve_inputs(flow: Flow, given: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(values for templates, values to store): defaults applied, types coerced, SECRETs never kept."""
    unknown = sorted(set(given) - {i.id for i in flow.inputs})
    if unknown:
        raise InvalidInput(
            f"inputs.{unknown[0]}: flow {flow.id!r} declares no input {unknown[0]!r}", field=f"inputs.{unknown[0]}"
        )
    context: dict[str, Any] = {}
    stored: dict[str, Any] = {}
    for spec in flow.inputs:
        if spec.id in given and given[spec.id] is not None:
            value = _coerce(flow, spec.id, given[spec.id])
        elif spec.defaults is not None:
            value = _coerce(flow, spec.id, spec.defaults)
        elif spec.required and spec.expression is None:
            raise InvalidInput(f"inputs.{spec.id}: required input is missing", field=f"inputs.{spec.id}")
        else:
            value = None
        context[spec.id] = value
        stored[spec.id] = "******" if isinstance(value, Secret) else value
    return context, stored


# -- asset declarations -------------------------------------------------------------------------------


def check_asset(asset: ResolvedAsset, field: str) -> ResolvedAsset:
    if not asset.id or len(asset.id) > limits.MAX_ID or not _PRINTABLE.match(asset.id):
        raise InvalidInput(
            f"{field}.id: an asset id is 1-{limits.MAX_ID} printable characters, got {asset.id!r}", field=f"{field}.id"
        )
    if asset.namespace is not None and (
        len(asset.namespace) > limits.MAX_NAMESPACE or not _NAMESPACE.match(asset.namespace)
    ):
        raise InvalidInput(
            f"{field}.namespace: {asset.namespace!r} is not a valid namespace", field=f"{field}.namespace"
        )
    if asset.type is not None and (
        not asset.type or len(asset.type) > limits.MAX_TYPE or not _PRINTABLE.match(asset.type)
    ):
        raise InvalidInput(f"{field}.type: not a valid type", field=f"{field}.type")
    if asset.displayName is not None and len(asset.displayName) > limits.MAX_DISPLAY_NAME:
        raise InvalidInput(f"{field}.displayName: too long", field=f"{field}.displayName")
    if asset.description is not None and len(asset.description) > limits.MAX_DESCRIPTION:
        raise InvalidInput(f"{field}.description: too long", field=f"{field}.description")
    if len(asset.metadata) > limits.MAX_METADATA_KEYS:
        raise InvalidInput(f"{field}.metadata: more than {limits.MAX_METADATA_KEYS} keys", field=f"{field}.metadata")
    for key in asset.metadata:
        if not key or len(key) > limits.MAX_METADATA_KEY or not _PRINTABLE.match(key):
            raise InvalidInput(f"{field}.metadata: invalid key {key!r}", field=f"{field}.metadata")
    try:
        check_metadata(asset.metadata, f"{field}.metadata")
    except ValueError as exc:
        raise InvalidInput(str(exc), field=f"{field}.metadata") from exc
    return asset


def literal_asset(decl: AssetDecl, field: str) -> ResolvedAsset:
    return check_asset(
        ResolvedAsset(
            id=decl.id,
            namespace=decl.namespace or None,
            type=canonical_type(decl.type) if decl.type else None,
            displayName=decl.displayName,
            description=decl.description,
            metadata=dict(decl.metadata),
        ),
        field,
    )


def task_outputs(task_runs: list[TaskRunContextIn]) -> dict[str, Any]:
    """`outputs` as Kestra's templates see them: `outputs.<task>`, or `outputs.<task>[<value>]` in a ForEach."""
    out: dict[str, Any] = {}
    for run in task_runs:
        if run.value is None:
            out[run.taskId] = run.outputs
        else:
            out.setdefault(run.taskId, {})[run.value] = run.outputs
    return out


# A declaration's optional fields: when one needs a variable the request does not carry, the asset is recorded
# without it (and the response's notes say so); its id, namespace and type are never guessed.
_OPTIONAL_FIELDS = ("displayName", "description")


class _Resolver:
    def __init__(
        self,
        flow: Flow,
        renderer: Renderer,
        base_context: dict[str, Any],
        state: str,
        task_runs: list[TaskRunContextIn],
    ) -> None:
        self.flow = flow
        self.renderer = renderer
        self.base = base_context
        self.state = state
        self.given = {(r.taskId, r.value or ""): r for r in task_runs}
        self.runs: list[TaskRun] = []
        self.notes: list[str] = []

    def _task_context(self, task: Task, ctx: dict[str, Any], chain: list[str]) -> dict[str, Any]:
        """The variables of one task run: Kestra renders a declaration after its task ran."""
        given = self.given.get((task.id, chain[-1] if chain else "")) or self.given.get((task.id, value_of(chain)))
        taskrun = dict(ctx.get("taskrun") or {})
        inner = {**ctx, "task": {"id": task.id, "type": task.type}}
        if given is not None:
            if given.id:
                taskrun["id"] = given.id
            if given.workingDir is not None:
                inner["workingDir"] = given.workingDir
        inner["taskrun"] = taskrun
        return inner

    def _optional(self, value: Any, ctx: dict[str, Any], path: str) -> tuple[bool, Any]:
        """(rendered?, value): a field the lineage can do without when its variables are missing."""
        try:
            return True, self._render(value, ctx, path)
        except UnknownVariable as exc:
            self.notes.append(f"{exc.detail}; recorded without it")
            return False, None

    def _error(self, path: str, exc: InvalidInput) -> InvalidInput:
        line = self.flow.located.line_of(path) if self.flow.located else None
        where = f"{path} (line {line})" if line else path
        detail = exc.detail
        if ": " in detail and detail.split(": ", 1)[0] in ("template", path):
            detail = detail.split(": ", 1)[1]
        err = type(exc)(
            f"{where}: {detail}", field=path, line=line, **{k: v for k, v in exc.extra.items() if k not in ("line",)}
        )
        return err

    def _render(self, value: Any, ctx: dict[str, Any], path: str) -> Any:
        if not isinstance(value, str):
            return value
        if references_secret(value):
            raise self._error(path, TemplateError("secret() is never evaluated: assets cannot reference secrets"))
        try:
            return self.renderer.render(value, ctx, field=path)
        except InvalidInput as exc:
            raise self._error(path, exc) from exc

    def _asset(self, decl: AssetDecl, ctx: dict[str, Any], path: str) -> ResolvedAsset:
        metadata = {}
        for k, v in decl.metadata.items():
            key = str(self._render(k, ctx, f"{path}.metadata"))
            rendered, value = self._optional(v, ctx, f"{path}.metadata.{k}")
            if rendered:
                metadata[key] = value
        optional = {name: self._optional(getattr(decl, name), ctx, f"{path}.{name}")[1] for name in _OPTIONAL_FIELDS}
        asset_type = self._render(decl.type, ctx, f"{path}.type") if decl.type else None
        asset = ResolvedAsset(
            id=self._render(decl.id, ctx, f"{path}.id"),
            namespace=self._render(decl.namespace, ctx, f"{path}.namespace") or None if decl.namespace else None,
            type=canonical_type(asset_type) if asset_type else None,
            metadata=metadata,
            **optional,
        )
        try:
            return check_asset(asset, path)
        except InvalidInput as exc:
            raise self._error(exc.field or path, exc) from exc

    def _record(self, task: Task, ctx: dict[str, Any], chain: list[str]) -> None:
        if len(self.runs) >= MAX_TASK_RUNS:
            raise FlowError(f"the flow expands to more than {MAX_TASK_RUNS} task runs", field="tasks")
        run = TaskRun(taskId=task.id, value=value_of(chain))
        if task.assets:
            ctx = self._task_context(task, ctx, chain)
            run.inputs = [
                self._asset(d, ctx, f"{task.path}.assets.inputs[{i}]") for i, d in enumerate(task.assets.inputs)
            ]
            run.outputs = [
                self._asset(d, ctx, f"{task.path}.assets.outputs[{i}]") for i, d in enumerate(task.assets.outputs)
            ]
        self.runs.append(run)

    def _foreach_values(self, task: Task, ctx: dict[str, Any]) -> list[Any]:
        raw = task.values
        path = f"{task.path}.values"
        if isinstance(raw, str):
            if references_secret(raw):
                raise self._error(path, TemplateError("secret() is never evaluated"))
            if ctx.get("taskrun"):  # a ForEach inside another: its parent's item is the outer one
                ctx = {**ctx, "parent": {"taskrun": ctx["taskrun"]}}
            try:
                raw = self.renderer.evaluate(raw, ctx, field=path)
            except InvalidInput as exc:
                raise self._error(path, exc) from exc
            if isinstance(raw, str):
                try:
                    raw = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise self._error(path, InvalidInput(f"ForEach values rendered to {raw!r}, not a list")) from exc
        if not isinstance(raw, list):
            raise self._error(path, InvalidInput(f"ForEach values must be a list, got {type(raw).__name__}"))
        return raw

    def _branch_value(self, task: Task, template: Any, ctx: dict[str, Any], path: str) -> tuple[bool, Any]:
        """(evaluated?, value); a condition that needs task outputs cannot be evaluated here."""
        if not isinstance(template, str):
            return True, template
        try:
            return True, self.renderer.evaluate(template, ctx, field=path)
        except TemplateError as exc:
            self.notes.append(f"{task.id}: {path} not evaluated ({exc.detail}); recorded every branch")
            return False, None

    def walk(self, tasks: list[Task], ctx: dict[str, Any], chain: list[str]) -> None:
        for task in tasks:
            if task.disabled:
                continue
            if task.assets or (not task.children and not task.is_foreach):
                self._record(task, ctx, chain)
            if task.is_foreach:
                for item in self._foreach_values(task, ctx):
                    value = _as_value(item)
                    outer = ctx.get("taskrun")
                    inner = dict(ctx)
                    inner["taskrun"] = {"value": value}
                    if outer:
                        inner["parent"] = {"taskrun": outer}
                        inner["parents"] = [{"taskrun": outer}, *ctx.get("parents", [])]
                    self.walk(task.children.get("tasks", []), inner, [*chain, value])
            elif task.kind == "If":
                done, value = self._branch_value(task, task.condition, ctx, f"{task.path}.condition")
                if not done:
                    branches = ["then", "else"]
                else:
                    truthy = value.strip().lower() == "true" if isinstance(value, str) else bool(value)
                    branches = ["then"] if truthy else ["else"]
                for b in branches:
                    self.walk(task.children.get(b, []), ctx, chain)
            elif task.kind == "Switch":
                done, value = self._branch_value(task, task.switch_value, ctx, f"{task.path}.value")
                cases = [k for k in task.children if k.startswith("case:")]
                if not done:
                    chosen = [*cases, "defaults"]
                else:
                    key = f"case:{value}"
                    chosen = [key] if key in task.children else ["defaults"]
                for c in chosen:
                    self.walk(task.children.get(c, []), ctx, chain)
            else:
                self.walk(task.children.get("tasks", []), ctx, chain)
            if self.state in FAILED_STATES:
                self.walk(task.children.get("errors", []), ctx, chain)
            self.walk(task.children.get("finally", []), ctx, chain)


def resolve_flow(
    flow: Flow,
    *,
    execution_id: str,
    given_inputs: dict[str, Any],
    labels: dict[str, str],
    state: str,
    start_date: str,
    revision: int | None,
    renderer: Renderer,
    now: str,
    task_runs: list[TaskRunContextIn] | None = None,
) -> tuple[list[TaskRun], dict[str, Any], dict[str, str], list[str]]:
    """Task runs, stored inputs, labels and notes for one execution of `flow`."""
    context_inputs, stored_inputs = resolve_inputs(flow, given_inputs)
    all_labels = {**flow.labels, **labels}
    context = {
        "flow": {"id": flow.id, "namespace": flow.namespace, "revision": revision},
        "execution": {"id": execution_id, "startDate": start_date, "state": state},
        "inputs": context_inputs,
        "labels": all_labels,
        "vars": flow.variables,
        "outputs": task_outputs(task_runs or []),
        "now": lambda: now,
    }
    resolver = _Resolver(flow, renderer, context, state, task_runs or [])
    resolver.walk(flow.tasks, context, [])
    if state in FAILED_STATES:
        resolver.walk(flow.errors, context, [])
    resolver.walk(flow.finally_, context, [])
    return resolver.runs, stored_inputs, all_labels, resolver.notes


def literal_task_runs(task_runs: list[TaskRunIn]) -> list[TaskRun]:
    if len(task_runs) > MAX_TASK_RUNS:
        raise InvalidInput(f"taskRuns: more than {MAX_TASK_RUNS}", field="taskRuns")
    out = []
    for i, tr in enumerate(task_runs):
        path = f"taskRuns[{i}].assets"
        out.append(
            TaskRun(
                taskId=tr.taskId,
                value=tr.value or "",
                inputs=[literal_asset(d, f"{path}.inputs[{j}]") for j, d in enumerate(tr.assets.inputs)],
                outputs=[literal_asset(d, f"{path}.outputs[{j}]") for j, d in enumerate(tr.assets.outputs)],
            )
        )
    return out


def normalize_dates(
    start: str | None, end: str | None, now: str, *, future_skew_s: float | None = None
) -> tuple[str, str | None]:
    """Start (the server's `now` when not given) and end, as stored; a time further ahead of `now` than the
    allowed skew is refused (a run dated 9999 would stay the latest run of its task slot for ever)."""
    try:
        start_iso = normalize_iso(start) if start else now
        end_iso = normalize_iso(end) if end else None
    except ValueError as exc:
        field = "startDate" if start and not _is_iso(start) else "endDate"
        raise InvalidInput(f"{field}: not an ISO 8601 date-time ({exc})", field=field) from exc
    if end_iso and end_iso < start_iso:
        raise InvalidInput("endDate: before startDate", field="endDate")
    if future_skew_s is not None:
        for field, value in (("startDate", start_iso), ("endDate", end_iso)):
            check_not_ahead(value, now, future_skew_s, field)
    return start_iso, end_iso


def check_not_ahead(value: str | None, now: str, skew_s: float, field: str) -> None:
    if value and seconds_after(value, now) > skew_s:
        raise BadRequest(
            f"{field}: {value} is more than {skew_s:g} s ahead of this server's clock ({now})", field=field
        )


def _is_iso(text: str) -> bool:
    try:
        normalize_iso(text)
        return True
    except ValueError:
        return False


def fingerprint_plan(plan: ExecutionPlan) -> str:
    """What makes two posts of one execution id the same execution (recording twice is a no-op)."""
    return fingerprint(
        plan.namespace,
        plan.flowId,
        plan.state,
        plan.startDate if plan.startGiven else None,
        plan.endDate,
        msgspec.to_builtins(plan.taskRuns),
    )


__all__ = [
    "UNSUCCESSFUL_STATES",
    "ExecutionIn",
    "ExecutionPlan",
    "ExecutionRecord",
    "FlowError",
    "ResolvedAsset",
    "TaskRun",
    "TaskRunIn",
    "TaskRunRecord",
    "fingerprint_plan",
    "literal_task_runs",
    "new_execution_id",
    "normalize_dates",
    "resolve_flow",
]
