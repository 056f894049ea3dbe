"""Stored documents packed (app/packing.py): what is packed unpacks to the same bytes, and a document stored as JSON
text before packing reads as it is."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from app.packing import PREFIX, pack, unpack

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_a_packed_document_unpacks_to_its_text(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False).encode()
    stored = pack(text)
    assert stored.startswith(PREFIX) and stored.isascii()
    assert unpack(stored) == text


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=4) | st.lists(json_values, max_size=4))
def test_a_document_stored_as_text_before_packing_reads_as_it_is(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert not text.startswith(PREFIX)  # JSON objects and arrays open with a bracket
    assert unpack(text) == text.encode()


def test_a_runs_events_pack_to_under_a_third_of_their_text() -> None:
    event = {
        "eventType": "COMPLETE",
        "eventTime": "2026-03-01T10:01:00Z",
        "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/dbt",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "inputs": [{"namespace": "postgres://db:5432", "name": f"raw.t{i}", "facets": {}} for i in range(20)],
    }
    text = json.dumps({"events": [{"hash": "x" * 64, "time": "2026-03-01", "event": event}] * 2}).encode()
    assert len(pack(text)) < len(text) / 3
