"""The JSON depth bound of public endpoints: a container at depth 64 (the document itself is depth 1) passes, one
at depth 65 is the caller's 400 naming the field, through any mix of objects and arrays."""

from __future__ import annotations

import json

import pytest

from app.domain.jsonsafe import MAX_JSON_DEPTH, decode
from app.errors import BadRequest


def nested(depth: int, *, kinds: str = "da") -> str:
    """A document whose deepest container is at `depth`, alternating objects (d) and arrays (a) as `kinds` says,
    with scalars beside each container so that the walk sees siblings too."""
    doc: object = {} if kinds[(depth - 1) % len(kinds)] == "d" else []
    for level in range(depth - 1, 0, -1):
        doc = {"x": 1, "in": doc, "y": "s"} if kinds[(level - 1) % len(kinds)] == "d" else [1, doc, "s"]
    return json.dumps(doc)


@pytest.mark.parametrize("kinds", ["d", "a", "da", "ad", "dda"])
def test_a_container_at_the_bound_passes_and_one_deeper_is_refused(kinds: str) -> None:
    assert decode(nested(MAX_JSON_DEPTH, kinds=kinds)) is not None
    with pytest.raises(BadRequest) as refused:
        decode(nested(MAX_JSON_DEPTH + 1, kinds=kinds), field="line 3", what="line 3")
    assert refused.value.field == "line 3"
    assert f"deeper than {MAX_JSON_DEPTH}" in str(refused.value)


def test_the_deep_branch_is_found_after_shallow_siblings() -> None:
    deep = json.loads(nested(MAX_JSON_DEPTH + 1))
    with pytest.raises(BadRequest):
        decode(json.dumps([{"a": [1, 2]}, [[]], {"b": {}}, deep]))


def test_scalars_and_empty_containers_pass() -> None:
    for text in ("1", '"s"', "null", "[]", "{}"):
        assert decode(text) == json.loads(text)
