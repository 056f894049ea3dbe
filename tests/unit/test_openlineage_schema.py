"""The compiled fast path of OpenLineage validation (app/openlineage/ingest.py: `_accepts`) never accepts what the
reference validator (jsonschema, draft 2020-12) refuses: the schema only uses keywords that mean the same in draft 7,
both accept real producers' events, and of random mutations of them the fast path accepts none the reference
refuses."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.openlineage import ingest

CORPUS = Path(__file__).resolve().parents[1] / "data" / "openlineage"
EVENTS = [json.loads(line) for p in sorted(CORPUS.glob("*.jsonl")) for line in p.read_text().splitlines() if line]
#: keywords whose meaning is the same in draft 7 (fastjsonschema) and 2020-12 (the schema's own draft)
SAME_IN_BOTH = {
    "$defs", "$id", "$ref", "$schema", "additionalProperties", "allOf", "anyOf", "description", "enum", "example",
    "format", "items", "not", "oneOf", "properties", "required", "type",
}  # fmt: skip
ODD_VALUES: list[Any] = [None, 1, 1.5, True, "", "x", "2026-13-45T99:00:00Z", "not a date", [], {}, [1], {"a": 1}]


def _schema_nodes(node: Any) -> list[dict[str, Any]]:
    """Every schema object (the values under `properties` and `$defs` are schemas; their keys are names)."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        out.append(node)
        for key, value in node.items():
            children = value.values() if key in ("properties", "$defs") and isinstance(value, dict) else [value]
            for child in children:
                out += _schema_nodes(child)
    elif isinstance(node, list):
        for child in node:
            out += _schema_nodes(child)
    return out


def test_the_schema_uses_only_keywords_that_mean_the_same_in_draft_7() -> None:
    nodes = _schema_nodes(json.loads(ingest.SCHEMA_PATH.read_text()))
    assert {k for n in nodes for k in n} <= SAME_IN_BOTH
    assert not [n for n in nodes if "$ref" in n and set(n) - {"$ref", "description"}]  # draft 7 ignores siblings
    assert not [n for n in nodes if isinstance(n.get("items"), list)]  # a tuple in draft 7, not in 2020-12


def verdicts(event: Any) -> tuple[bool, bool]:
    kind = ingest._kind_by_shape(event)
    try:
        ingest._accepts(kind)(event)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    return fast, not any(True for _ in ingest._validator(kind).iter_errors(event))


@pytest.mark.parametrize("index", range(len(EVENTS)))
def test_both_accept_every_real_event(index: int) -> None:
    assert verdicts(EVENTS[index]) == (True, True)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_the_fast_path_accepts_no_mutated_event_the_reference_refuses(data: st.DataObject) -> None:
    event = copy.deepcopy(data.draw(st.sampled_from(EVENTS)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(event)[1:]))
        parent = event
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and data.draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(ODD_VALUES)))
        if not _paths(event)[1:]:
            break
    fast, reference = verdicts(event)
    assert reference or not fast  # fastjsonschema also checks `uri` formats: it may refuse more, never accept more
