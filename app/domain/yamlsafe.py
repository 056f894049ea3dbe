"""YAML in, with the limits a public endpoint needs and line numbers for error messages.

Flows are user input: the loader refuses aliases (no billion laughs), bounds nesting depth and the number of
values while it composes, and keeps the document's nodes so an error can say where a value sits
(`line 14, tasks[1].tasks[0].assets.outputs[0].id`). It runs in the sandbox (app/domain/sandbox), which bounds its
memory and time as well.
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
    or a value `no` stays a string (as in Kestra), not YAML 1.1's False. Values and nesting are counted as the
    document is composed, so an oversized one stops early instead of after it has been built."""

    _values = 0
    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InvalidInput(
                f"YAML aliases are not accepted (line {event.start_mark.line + 1})",
                field="yaml",
                line=event.start_mark.line + 1,
            )
        self._values += 1
        if self._values > MAX_YAML_NODES:
            raise InvalidInput(f"YAML has more than {MAX_YAML_NODES} values", field="yaml")
        if self._depth >= MAX_YAML_DEPTH:
            line = self.peek_event().start_mark.line + 1
            raise InvalidInput(f"YAML nests deeper than {MAX_YAML_DEPTH} levels (line {line})", field="yaml", line=line)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


_NoAliasLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_NoAliasLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class Located:
    """A parsed YAML document and where each of its values sits: `line_of("tasks[1].assets.outputs[0].id")`.
    Lines are looked up in the document's nodes when an error needs one, never computed for every value ahead
    (a path per value costs its depth times its key lengths: a small document with long keys nested deep
    would expand into gigabytes)."""

    def __init__(self, data: Any, root: Node) -> None:
        self.data = data
        self._root = root

    def line_of(self, path: str) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        node, line, rest = self._root, self._root.start_mark.line + 1, path
        while rest:
            step = _step(node, rest)
            if step is None:
                break
            node, line, rest = step
        return line


def _step(node: Node, rest: str) -> tuple[Node, int, str] | None:
    """One step down `rest` (`.key` or `[i]` first): the child, its line, and what remains of the path."""
    rest = rest[1:] if rest.startswith(".") else rest
    if isinstance(node, SequenceNode) and rest.startswith("["):
        index, _, after = rest[1:].partition("]")
        if index.isdecimal() and int(index) < len(node.value):
            child = node.value[int(index)]
            return child, child.start_mark.line + 1, after
        return None
    if isinstance(node, MappingNode):
        # the longest key that the path continues with (a key may itself hold a dot)
        matches = [
            (key, value)
            for key, value in node.value
            if isinstance(key, ScalarNode)
            and (rest == key.value or rest.startswith(key.value + ".") or rest.startswith(key.value + "["))
        ]
        if matches:
            key, value = max(matches, key=lambda kv: len(kv[0].value))
            return value, key.start_mark.line + 1, rest[len(key.value) :]
    return None


def load(text: str, *, what: str = "YAML") -> Located:
    if len(text.encode("utf-8", errors="replace")) > MAX_YAML_BYTES:
        raise InvalidInput(f"{what} is larger than {MAX_YAML_BYTES} bytes", field="yaml")
    try:
        loader = _NoAliasLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise InvalidInput(f"{what} is empty", field="yaml")
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
    return Located(data, node)
