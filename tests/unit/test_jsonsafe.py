"""The JSON depth bound of public endpoints: a container at depth 64 (the document itself is depth 1) passes, one
at depth 65 is the caller's 400 naming the field, through any mix of objects and arrays. And the canonical text
digests are taken of, which must stay json.dumps' text."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.jsonsafe import MAX_JSON_DEPTH, canonical, decode
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


# -- canonical text: the digests stored before it keep matching ---------------------------------------------------

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
    | st.sampled_from(["4e3", "x,1e5", "0.00001", "[1e-7]", "a:2E9", "3fa85f64-5717-4562-b3fc-2c963f66afa6"]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner, max_size=5),
    max_leaves=25,
)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@settings(max_examples=3000, deadline=None)
@given(_JSON_VALUES)
def test_canonical_text_is_jsons_for_any_json_value(value: object) -> None:
    """Event hashes and fingerprints stored by earlier versions were taken of json.dumps' text; msgspec writes some
    floats otherwise (1e16 for 1e+16, 0.00001 for 1e-05), so canonical() must find every such float."""
    assert canonical(value) == _dumps(value)


@pytest.mark.parametrize(
    "value",
    [
        1e16,
        -2.5e-9,
        1e-05,
        -0.00001,
        9.99e-5,
        0.0001,
        0.00015,
        1.5e300,
        5e-324,
        2**70,
        {"b": [1e20], "a": "1e5"},
        {"k": "é\u2028\x7f</"},
        ["x,1e5", 0.5],
        (1, "a"),
    ],
)
def test_canonical_text_of_the_floats_msgspec_writes_apart(value: object) -> None:
    assert canonical(value) == _dumps(value)


def test_every_float_magnitude_is_written_as_json_writes_it() -> None:
    for exponent in range(-330, 309):
        for mantissa in (1.0, -1.5, 9.999999, 1.2345678901234567):
            try:
                value = mantissa * 10.0**exponent
            except OverflowError:
                continue
            if not math.isfinite(value):  # JSON has none: the decoders never give one
                continue
            assert canonical([value, {"v": value}]) == _dumps([value, {"v": value}]), value
