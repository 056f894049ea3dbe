"""YAML in, with the limits a public endpoint needs and line numbers for error messages.

Flows are user input: the loader refuses aliases (no billion laughs), bounds nesting depth and size,
and records where each value sits so an error can say `line 14, tasks[1].tasks[0].assets.outputs[0].id`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.errors import InvalidInput

MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 200_000


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loading without aliases, and with YAML 1.2 booleans: only true/false, so a task called `off`
    or a value `no` stays a string (as in Kestra), not YAML 1.1's False."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InvalidInput(
                f"YAML aliases are not accepted (line {event.start_mark.line + 1})",
                field="yaml",
                line=event.start_mark.line + 1,
            )
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


_NoAliasLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_NoAliasLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class Located:
    """A parsed YAML document and the line of every path in it (`tasks[1].assets.outputs[0].id`)."""

    def __init__(self, data: Any, lines: dict[str, int]) -> None:
        self.data = data
        self.lines = lines

    def line_of(self, path: str) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get("")


def _walk(node: Node, path: str, lines: dict[str, int], depth: int, count: list[int]) -> None:
    count[0] += 1
    if count[0] > MAX_YAML_NODES:
        raise InvalidInput(f"YAML has more than {MAX_YAML_NODES} values", field="yaml")
    if depth > MAX_YAML_DEPTH:
        raise InvalidInput(
            f"YAML nests deeper than {MAX_YAML_DEPTH} levels (line {node.start_mark.line + 1})",
            field="yaml",
            line=node.start_mark.line + 1,
        )
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            child = f"{path}.{name}" if path else str(name)
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines, depth + 1, count)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", lines, depth + 1, count)


def load(text: str, *, what: str = "YAML") -> Located:
    if len(text.encode("utf-8", errors="replace")) > MAX_YAML_BYTES:
        raise InvalidInput(f"{what} is larger than {MAX_YAML_BYTES} bytes", field="yaml")
    try:
        loader = _NoAliasLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise InvalidInput(f"{what} is empty", field="yaml")
            lines: dict[str, int] = {}
            _walk(node, "", lines, 0, [0])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise InvalidInput(
            f"{what} does not parse: {exc.problem or exc}" + (f" (line {line})" if line else ""),
            field="yaml",
            line=line,
        ) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{what} does not parse: {exc}", field="yaml") from exc
    except RecursionError as exc:
        raise InvalidInput(f"{what} nests too deeply", field="yaml") from exc
    return Located(data, lines)
