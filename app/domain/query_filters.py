"""Kestra's query-filter syntax, as its UI and SDKs send it, parsed into one shape the database evaluates.

`filters[<field>][<OP>]=<value>` (several AND together), `filters[metadata][EQUALS][<key>]=<value>`, and the
grouped form the SDKs emit for OR: `filters[or][0][<field>][<OP>]=...`, `filters[or][1][and][0][...]=...`.
Whatever the nesting, the result is a disjunction of conjunctions of leaves (`Filter.any_of`), each leaf a
`Leaf` naming a field from the resource's allow-list, one of a few comparisons, and its values as strings.
The Cypher that evaluates it is fixed text: fields and operators are chosen by CASE on these values.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.domain.assets import meta_pair
from app.errors import BadRequest
from app.timeutil import normalize_iso

# Python's own regular-expression parser (public as `sre_parse` until 3.11 deprecated that name).
sre_constants = re._constants  # type: ignore[attr-defined]
sre_parse = re._parser  # type: ignore[attr-defined]

MAX_LEAVES = 50
MAX_CONJUNCTIONS = 64
MAX_VALUES = 500
MAX_VALUE = 1_000
MAX_REGEX = 200

_KEY = re.compile(r"^filters((?:\[[^\[\]]*\])+)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")

# Kestra's operator -> (comparison the Cypher knows, negated?)
_OPS: dict[str, tuple[str, bool]] = {
    "EQUALS": ("in", False),
    "NOT_EQUALS": ("in", True),
    "IN": ("in", False),
    "NOT_IN": ("in", True),
    "STARTS_WITH": ("starts", False),
    "ENDS_WITH": ("ends", False),
    "CONTAINS": ("contains", False),
    "NOT_CONTAINS": ("contains", True),
    "PREFIX": ("prefix", False),
    "REGEX": ("regex", False),
    "GREATER_THAN": ("gt", False),
    "GREATER_THAN_OR_EQUAL_TO": ("ge", False),
    "LESS_THAN": ("lt", False),
    "LESS_THAN_OR_EQUAL_TO": ("le", False),
}
#: Kestra's operators on a text field. PREFIX is Kestra's (`QueryFilter`): `p` itself and `p.<anything>`, the dotted
#: name's children (`^p(\..+)?$`), which is not STARTS_WITH.
TEXT_OPS = (
    "EQUALS",
    "NOT_EQUALS",
    "IN",
    "NOT_IN",
    "STARTS_WITH",
    "ENDS_WITH",
    "CONTAINS",
    "NOT_CONTAINS",
    "REGEX",
    "PREFIX",
)
DATE_OPS = (
    "EQUALS",
    "NOT_EQUALS",
    "GREATER_THAN",
    "GREATER_THAN_OR_EQUAL_TO",
    "LESS_THAN",
    "LESS_THAN_OR_EQUAL_TO",
)


@dataclass(frozen=True)
class FieldSpec:
    """A filterable field: the subject name the Cypher switches on, its operators, and how values are read."""

    subject: str
    ops: tuple[str, ...]
    kind: str = "text"  # text | date | metadata | search


ASSET_FIELDS: Mapping[str, FieldSpec] = {
    "id": FieldSpec("id", TEXT_OPS),
    "assetId": FieldSpec("id", TEXT_OPS),
    "namespace": FieldSpec("namespace", TEXT_OPS),
    "type": FieldSpec("type", TEXT_OPS),
    "metadata": FieldSpec("meta", ("EQUALS", "NOT_EQUALS", "IN", "NOT_IN"), "metadata"),
    "q": FieldSpec("text", ("EQUALS", "CONTAINS"), "search"),
    "created": FieldSpec("created", DATE_OPS, "date"),
    "updated": FieldSpec("updated", DATE_OPS, "date"),
}
USAGE_FIELDS: Mapping[str, FieldSpec] = {
    "assetId": FieldSpec("assetId", TEXT_OPS),
    "namespace": FieldSpec("namespace", TEXT_OPS),
    "flowId": FieldSpec("flowId", TEXT_OPS),
    "executionId": FieldSpec("executionId", TEXT_OPS),
    "taskId": FieldSpec("taskId", TEXT_OPS),
    "taskRunId": FieldSpec("taskRunId", TEXT_OPS),
    "created": FieldSpec("created", DATE_OPS, "date"),
}


@dataclass(frozen=True)
class Leaf:
    s: str  # subject
    op: str
    v: str = ""
    vs: tuple[str, ...] = ("",)
    neg: bool = False
    #: the query parameter it came from (`filters[id][REGEX]`), for errors found later (not part of its identity)
    name: str = field(default="", compare=False)

    def as_param(self) -> dict[str, object]:
        return {"s": self.s, "op": self.op, "v": self.v, "vs": list(self.vs), "neg": self.neg}


@dataclass
class Filter:
    """OR of ANDs; no conjunction means everything matches."""

    any_of: list[list[Leaf]] = field(default_factory=list)

    def as_param(self) -> list[list[dict[str, object]]]:
        return [[leaf.as_param() for leaf in conj] for conj in self.any_of] or [[]]

    def patterns(self) -> list[Leaf]:
        """The leaves that hold a regular expression (each once)."""
        return list(dict.fromkeys(leaf for conj in self.any_of for leaf in conj if leaf.op == "regex"))

    def required(self) -> list[Leaf]:
        """The leaves every alternative holds: conditions any match must meet, which a query can test first,
        with an index or a cheap test, before it evaluates the whole filter."""
        if not self.any_of:
            return []
        first, *rest = self.any_of
        return [leaf for leaf in dict.fromkeys(first) if all(leaf in conj for conj in rest)]


@dataclass
class _Group:
    logical: str
    items: dict[int, _Group | Leaf | list[Leaf]] = field(default_factory=dict)


def parse(params: Iterable[tuple[str, str]], fields: Mapping[str, FieldSpec]) -> Filter:
    """`filters[...]` query parameters into a Filter; anything unknown is a 400 naming the parameter."""
    top: list[Leaf | _Group] = []
    groups: dict[str, _Group] = {}
    count = 0
    for name, value in params:
        m = _KEY.match(name)
        if not name.startswith("filters"):
            continue
        if not m:
            raise BadRequest(f"{name}: not a filter (filters[<field>][<OPERATION>]=<value>)", field=name)
        count += 1
        if count > MAX_LEAVES:
            raise BadRequest(f"more than {MAX_LEAVES} filters", field=name)
        segments = _SEGMENT.findall(m.group(1))
        if segments[0] in ("and", "or"):
            _place(groups.setdefault(segments[0], _Group(segments[0])), segments[1:], name, value, fields)
        else:
            top.append(_leaf(segments, name, value, fields))
    top.extend(groups.values())
    conjunctions = _dnf(_Group("and", dict(enumerate(top))))
    if len(conjunctions) > MAX_CONJUNCTIONS:
        raise BadRequest(f"the filters expand to more than {MAX_CONJUNCTIONS} alternatives", field="filters")
    return Filter([c for c in conjunctions if c] if top else [])


_INDEX = re.compile(r"^[0-9]{1,4}$")


def _place(
    group: _Group, segments: list[str], name: str, value: str, fields: Mapping[str, FieldSpec], depth: int = 0
) -> None:
    if not segments or not _INDEX.match(segments[0]):
        raise BadRequest(f"{name}: expected an index after [{group.logical}]", field=name)
    index, rest = int(segments[0]), segments[1:]
    if rest and rest[0] in ("and", "or"):
        if depth >= 1:
            raise BadRequest(f"{name}: groups nest one level deep at most", field=name)
        inner = group.items.setdefault(index, _Group(rest[0]))
        if not isinstance(inner, _Group) or inner.logical != rest[0]:
            raise BadRequest(f"{name}: [{index}] is used both as a filter and as a group", field=name)
        _place(inner, rest[1:], name, value, fields, depth + 1)
        return
    current = group.items.get(index)
    leaf = _leaf(rest, name, value, fields)
    if current is None:
        group.items[index] = [leaf]
    elif isinstance(current, list):
        current.append(leaf)  # several leaves under one index AND together
    else:
        raise BadRequest(f"{name}: [{index}] is used both as a filter and as a group", field=name)


def _dnf(node: _Group | Leaf | list[Leaf]) -> list[list[Leaf]]:
    if isinstance(node, Leaf):
        return [[node]]
    if isinstance(node, list):
        return [list(node)]
    parts = [_dnf(child) for _, child in sorted(node.items.items())]
    if not parts:
        return [[]]
    if node.logical == "or":
        return [conj for part in parts for conj in part]
    out: list[list[Leaf]] = [[]]
    for part in parts:
        out = [a + b for a, b in itertools.product(out, part)]
        if len(out) > MAX_CONJUNCTIONS:
            raise BadRequest(f"the filters expand to more than {MAX_CONJUNCTIONS} alternatives", field="filters")
    return out


def _leaf(segments: list[str], name: str, value: str, fields: Mapping[str, FieldSpec]) -> Leaf:
    if len(segments) < 2:
        raise BadRequest(f"{name}: a filter is filters[<field>][<OPERATION>]", field=name)
    field_name, operation = segments[0], segments[1]
    spec = fields.get(field_name)
    if spec is None:
        raise BadRequest(f"{name}: unknown field {field_name!r} (one of {', '.join(fields)})", field=name)
    if operation not in spec.ops:
        raise BadRequest(f"{name}: {field_name} does not take {operation!r} (one of {', '.join(spec.ops)})", field=name)
    if len(value) > MAX_VALUE:
        raise BadRequest(f"{name}: value longer than {MAX_VALUE} characters", field=name)
    op, neg = _OPS[operation]
    if spec.kind == "metadata":
        if len(segments) != 3 or not segments[2]:
            raise BadRequest(f"{name}: a metadata filter is filters[metadata][{operation}][<key>]", field=name)
        values = _values(operation, value, name)
        return Leaf(spec.subject, op, vs=tuple(meta_pair(segments[2], v) for v in values), neg=neg)
    if len(segments) != 2:
        raise BadRequest(f"{name}: unexpected [{segments[2]}]", field=name)
    if spec.kind == "search":
        return Leaf(spec.subject, "contains", v=value.lower())
    if spec.kind == "date":
        try:
            value = normalize_iso(value if "T" in value else f"{value}T00:00:00Z")
        except ValueError as exc:
            raise BadRequest(f"{name}: {value!r} is not an ISO-8601 date", field=name) from exc
    if op == "in":
        return Leaf(spec.subject, op, vs=tuple(_values(operation, value, name)), neg=neg)
    if op == "regex":
        _check_regex(value, name)
    return Leaf(spec.subject, op, v=value, neg=neg, name=name)


def _values(operation: str, value: str, name: str) -> list[str]:
    values = [v.strip() for v in value.split(",")] if operation in ("IN", "NOT_IN") else [value]
    if len(values) > MAX_VALUES:
        raise BadRequest(f"{name}: more than {MAX_VALUES} values", field=name)
    return values


#: a repetition of more than this many items is "wide": a backtracking engine may try every split of it
WIDE = 16
#: wide repetitions one pattern may hold: each multiplies a backtracking engine's worst case by the text's length
MAX_WIDE = 3


def _check_regex(pattern: str, name: str) -> None:
    """A pattern a backtracking engine (Neo4j's java.util.regex) runs in polynomial time of a low degree: short,
    valid, no wide repetition inside another (`(a+)+`), no alternation inside one (`(a|aa)*`), and at most
    MAX_WIDE wide repetitions in all (`(.*a)` eight times then `b` takes Neo4j tens of seconds on a 60-character
    id, and a regular expression does not yield to the transaction's timeout while it runs)."""
    if len(pattern) > MAX_REGEX:
        raise BadRequest(f"{name}: regular expression longer than {MAX_REGEX} characters", field=name)
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise BadRequest(f"{name}: not a valid regular expression ({exc})", field=name) from exc
    problem = _backtracking_risk(tree, inside=False)
    if problem is None and _wide_repeats(tree) > MAX_WIDE:
        problem = f"more than {MAX_WIDE} wide repetitions (`*`, `+`, `{{n,}}`, or more than {WIDE} times)"
    if problem:
        raise BadRequest(f"{name}: {problem} is refused: it makes a backtracking search slow", field=name)


_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


def _wide(high: int) -> bool:
    return bool(high == sre_constants.MAXREPEAT or high > WIDE)


def _backtracking_risk(tree: object, *, inside: bool) -> str | None:
    """What makes `tree` backtrack without bound, if anything (`inside`: within a wide repetition)."""
    for op, arg in tree:  # type: ignore[attr-defined]
        if op in _REPEATS:
            _low, high, sub = arg
            if _wide(high) and inside:
                return "a nested repetition (a repetition inside a repetition, e.g. `(a+)+`)"
            if found := _backtracking_risk(sub, inside=inside or _wide(high)):
                return found
        elif op == sre_constants.SUBPATTERN:
            if found := _backtracking_risk(arg[-1], inside=inside):
                return found
        elif op == sre_constants.BRANCH:
            if inside:
                return "an alternation inside a repetition (e.g. `(a|aa)*`)"
            for branch in arg[1]:
                if found := _backtracking_risk(branch, inside=inside):
                    return found
    return None


def _wide_repeats(tree: object) -> int:
    count = 0
    for op, arg in tree:  # type: ignore[attr-defined]
        if op in _REPEATS:
            count += _wide(arg[1]) + _wide_repeats(arg[2])
        elif op == sre_constants.SUBPATTERN:
            count += _wide_repeats(arg[-1])
        elif op == sre_constants.BRANCH:
            count += max((_wide_repeats(b) for b in arg[1]), default=0)
    return count


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool


def parse_sort(values: list[str], allowed: tuple[str, ...], default: Sort = Sort("id", False)) -> Sort:
    """Kestra's `sort=<field>:asc|desc`; the first one decides, ties go by id."""
    if not values:
        return default
    key, _, direction = values[0].partition(":")
    if key not in allowed:
        raise BadRequest(f"sort: unknown field {key!r} (one of {', '.join(allowed)})", field="sort")
    if direction.lower() not in ("", "asc", "desc"):
        raise BadRequest(f"sort: {direction!r} is neither asc nor desc", field="sort")
    return Sort(key, direction.lower() == "desc")
