"""Natural keys are stored: the fast way `app/domain/keys.py` writes a compound key must give exactly the text
`json.dumps` gave when the key was first stored, for any part (quotes, backslashes, control characters, non-ASCII,
lone surrogates, numbers)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from app import memo
from app.domain import keys

part = st.one_of(st.text(), st.integers(), st.booleans())


def _reference(*parts: object) -> str:
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


@given(st.lists(part, min_size=1, max_size=5))
def test_compound_keys_are_the_json_text_stored_before(parts: list[str | int]) -> None:
    assert keys._compound(*parts) == _reference(*parts)


def test_compound_keys_of_awkward_parts() -> None:
    awkward = ['a"b', "c\\d", "\n\t\x00\x1f\x7f", "é 漢字 \u2028", "\ud800", "", "[]", ","]
    for one in awkward:
        assert keys.column_key("t", one, one) == _reference("t", one, one)
    assert keys.flow_revision_key("t", "ns", "f", 3) == '["t","ns","f",3]'
    assert keys.column_of(keys.column_key("t", 'a"b', "c\\d")) == ('a"b', "c\\d")


def test_long_column_names_are_keyed_alike_but_not_kept_in_the_cache() -> None:
    long = "c" * (memo.SHORT_CHARS + 1)
    before = keys.column_key.cache_info().currsize
    assert keys.column_key("t", "a", long) == _reference("t", "a", long)
    assert keys.column_key.cache_info().currsize == before
