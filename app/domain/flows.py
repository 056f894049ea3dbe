"""Kestra-style flows: parsed from YAML into a task tree that keeps what lineage needs.

Only identity, inputs, labels and the `assets` of each task are interpreted; every other plugin property
is kept in the stored source and otherwise left alone. Flowable tasks that nest tasks (ForEach, the
legacy EachSequential / EachParallel, Sequential, Parallel, WorkingDirectory, AllowFailure, If, Switch,
Dag, and any task with a `tasks` list) are walked so that what their tasks declare is recorded.

Every error names the YAML path and line: `tasks[1].tasks[0].assets.outputs[0].id (line 31): ...`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import msgspec

from app.domain import limits, yamlsafe
from app.errors import InvalidInput

FLOW_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
TASK_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
NAMESPACE_PATTERN = re.compile(limits.NAMESPACE_PATTERN)


class AssetDecl(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """An asset as a task declares it; string fields may be templates until rendered."""

    id: str
    namespace: str | None = None
    type: str | None = None
    displayName: str | None = None
    description: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


class TaskAssets(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    inputs: list[AssetDecl] = msgspec.field(default_factory=list)
    outputs: list[AssetDecl] = msgspec.field(default_factory=list)


class FlowInput(msgspec.Struct, kw_only=True):
    id: str
    type: str = "STRING"
    values: list[Any] | None = None
    defaults: Any = None
    required: bool = True
    expression: str | None = None
    description: str | None = None
    displayName: str | None = None


@dataclass
class Task:
    id: str
    type: str
    path: str
    assets: TaskAssets | None = None
    disabled: bool = False
    #: ForEach values (a list, or a template that renders to one); None for other tasks
    values: list[Any] | str | None = None
    #: If condition / Switch value (templates)
    condition: Any = None
    switch_value: Any = None
    #: child task lists by role: "tasks", "then", "else", "defaults", "case:<key>", "errors", "finally"
    children: dict[str, list[Task]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.type.rsplit(".", 1)[-1]

    @property
    def is_foreach(self) -> bool:
        return self.kind in ("ForEach", "EachSequential", "EachParallel")

    def walk(self) -> list[Task]:
        out = [self]
        for tasks in self.children.values():
            for t in tasks:
                out.extend(t.walk())
        return out


@dataclass
class Flow:
    id: str
    namespace: str
    tasks: list[Task]
    inputs: list[FlowInput] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    errors: list[Task] = field(default_factory=list)
    finally_: list[Task] = field(default_factory=list)
    source: str = ""
    located: yamlsafe.Located | None = None

    def all_tasks(self) -> list[Task]:
        out: list[Task] = []
        for t in [*self.tasks, *self.errors, *self.finally_]:
            out.extend(t.walk())
        return out

    def task_ids(self) -> list[str]:
        return sorted({t.id for t in self.all_tasks()})

    def input(self, name: str) -> FlowInput | None:
        return next((i for i in self.inputs if i.id == name), None)

    def where(self, path: str) -> str:
        """`path (line N)` for messages."""
        line = self.located.line_of(path) if self.located else None
        return f"{path} (line {line})" if line else path


class FlowSummary(msgspec.Struct, kw_only=True):
    """What the server keeps of a parsed flow (the parse itself runs in the sandbox): identity, task ids,
    inputs, and the fields of Kestra's flow document that its clients read."""

    id: str
    namespace: str
    taskIds: list[str]
    inputs: list[FlowInput] = msgspec.field(default_factory=list)
    description: Any = None
    labels: Any = None
    inputsDocument: Any = None
    tasks: Any = None
    triggers: Any = None
    disabled: bool = False

    @classmethod
    def of(cls, flow: Flow) -> FlowSummary:
        doc = flow.located.data if flow.located else {}
        return cls(
            id=flow.id,
            namespace=flow.namespace,
            taskIds=flow.task_ids(),
            inputs=flow.inputs,
            description=doc.get("description"),
            labels=doc.get("labels"),
            inputsDocument=doc.get("inputs"),
            tasks=doc.get("tasks"),
            triggers=doc.get("triggers"),
            disabled=bool(doc.get("disabled", False)),
        )


class FlowError(InvalidInput):
    title = "Invalid flow"


def _fail(located: yamlsafe.Located, path: str, message: str) -> FlowError:
    line = located.line_of(path)
    where = f"{path} (line {line})" if line else path
    return FlowError(f"{where}: {message}", field=path or "flow", line=line)


def _convert(located: yamlsafe.Located, raw: Any, type_: Any, path: str) -> Any:
    try:
        return msgspec.convert(raw, type_, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        m = re.search(r" - at `\$(.*)`$", message)
        sub = m.group(1) if m else ""
        message = message[: m.start()] if m else message
        unknown = re.search(r"(?:unknown|required) field `([^`]*)`", message)
        if unknown:
            sub += "." + unknown.group(1)
        raise _fail(located, (path + sub).replace("[...]", ""), message) from exc


def _labels(located: yamlsafe.Located, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    if isinstance(raw, list):
        out = {}
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or "key" not in item:
                raise _fail(located, f"labels[{i}]", "a label is {key: ..., value: ...}")
            out[str(item["key"])] = str(item.get("value", ""))
        return out
    raise _fail(located, "labels", "labels are a map or a list of {key, value}")


def _tasks(located: yamlsafe.Located, raw: Any, path: str, seen: dict[str, str]) -> list[Task]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _fail(located, path, "expected a list of tasks")
    return [_task(located, item, f"{path}[{i}]", seen) for i, item in enumerate(raw)]


def _task(located: yamlsafe.Located, raw: Any, path: str, seen: dict[str, str]) -> Task:
    if not isinstance(raw, dict):
        raise _fail(located, path, "a task is a map with at least `id` and `type`")
    task_id, type_ = raw.get("id"), raw.get("type")
    if not isinstance(task_id, str) or not TASK_ID_PATTERN.match(task_id):
        raise _fail(located, f"{path}.id", "a task id is 1-100 letters, digits, '_' or '-'")
    if not isinstance(type_, str) or not type_:
        raise _fail(located, f"{path}.type", "a task needs a `type`")
    if task_id in seen:
        raise _fail(located, f"{path}.id", f"task id {task_id!r} is already used at {seen[task_id]}")
    seen[task_id] = path
    task = Task(id=task_id, type=type_, path=path, disabled=bool(raw.get("disabled", False)))
    if raw.get("assets") is not None:
        task.assets = _convert(located, raw["assets"], TaskAssets, f"{path}.assets")
    kind = task.kind
    if task.is_foreach:
        values = raw.get("values", raw.get("value"))
        if not isinstance(values, list | str):
            raise _fail(located, f"{path}.values", "ForEach `values` is a list or an expression")
        task.values = values
    if kind == "If":
        task.condition = raw.get("condition")
        task.children["then"] = _tasks(located, raw.get("then"), f"{path}.then", seen)
        task.children["else"] = _tasks(located, raw.get("else"), f"{path}.else", seen)
    elif kind == "Switch":
        task.switch_value = raw.get("value")
        cases = raw.get("cases") or {}
        if not isinstance(cases, dict):
            raise _fail(located, f"{path}.cases", "Switch `cases` is a map of value to tasks")
        for key, tasks in cases.items():
            task.children[f"case:{key}"] = _tasks(located, tasks, f"{path}.cases.{key}", seen)
        task.children["defaults"] = _tasks(located, raw.get("defaults"), f"{path}.defaults", seen)
    elif kind == "Dag":
        items = raw.get("tasks") or []
        if not isinstance(items, list):
            raise _fail(located, f"{path}.tasks", "Dag `tasks` is a list of {task, dependsOn}")
        dag: list[Task] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or "task" not in item:
                raise _fail(located, f"{path}.tasks[{i}]", "a Dag entry is {task: ..., dependsOn: [...]}")
            dag.append(_task(located, item["task"], f"{path}.tasks[{i}].task", seen))
        task.children["tasks"] = dag
    elif "tasks" in raw:
        task.children["tasks"] = _tasks(located, raw.get("tasks"), f"{path}.tasks", seen)
    for role in ("errors", "finally"):
        if raw.get(role):
            task.children[role] = _tasks(located, raw[role], f"{path}.{role}", seen)
    return task


def parse_flow(source: str) -> Flow:
    located = yamlsafe.load(source, what="flow YAML")
    raw = located.data
    if not isinstance(raw, dict):
        raise FlowError("a flow is a YAML map with `id`, `namespace` and `tasks`", field="flow")
    flow_id, namespace = raw.get("id"), raw.get("namespace")
    if not isinstance(flow_id, str) or not FLOW_ID_PATTERN.match(flow_id):
        raise _fail(located, "id", "a flow id is 1-100 letters, digits, '.', '_' or '-'")
    if not isinstance(namespace, str) or not NAMESPACE_PATTERN.match(namespace) or len(namespace) > 256:
        raise _fail(located, "namespace", "a namespace is dot-separated letters, digits, '_' or '-'")
    if not isinstance(raw.get("tasks"), list) or not raw["tasks"]:
        raise _fail(located, "tasks", "a flow needs a non-empty `tasks` list")
    inputs = _convert(located, raw.get("inputs") or [], list[FlowInput], "inputs")
    names = [i.id for i in inputs]
    if len(names) != len(set(names)):
        raise _fail(located, "inputs", "input ids must be unique")
    seen: dict[str, str] = {}
    variables = raw.get("variables") or {}
    if not isinstance(variables, dict):
        raise _fail(located, "variables", "variables are a map")
    return Flow(
        id=flow_id,
        namespace=namespace,
        tasks=_tasks(located, raw["tasks"], "tasks", seen),
        inputs=inputs,
        labels=_labels(located, raw.get("labels")),
        variables=variables,
        errors=_tasks(located, raw.get("errors"), "errors", seen),
        finally_=_tasks(located, raw.get("finally"), "finally", seen),
        source=source,
        located=located,
    )
