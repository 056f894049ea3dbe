"""The pieces of the blast radius that need no database: the summary's fold, the CSV and NDJSON encodings (an id
with commas, quotes, newlines or markup comes back exactly), and the setting that picks the summary's keys."""

from __future__ import annotations

import csv
import io
import json

import msgspec
import pytest

from app.api.exports import _csv, _csv_header, _ndjson
from app.domain.assets import meta_pair, meta_prefix, pair_value
from app.domain.lineage import SUMMARY_TOP, ExportRow, Traversal
from app.services.blast_radius import _fold
from app.settings import Settings

ODD = ["a,b", 'say "hi"', "two\nlines", "=cmd|' /C calc'!A0", "ünï/çødé", "[bold]x[/]"]


def test_csv_and_ndjson_give_back_every_id_exactly() -> None:
    rows = [
        ExportRow(distance=i + 1, id=odd, namespace="n", type="t", route=ODD[:i], metadata={"owner": odd})
        for i, odd in enumerate(ODD)
    ]
    rows.append(ExportRow(distance=9, hidden=True))
    text = (_csv_header(["owner"]) + _csv(["owner"])(rows)).decode()
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in parsed[:-1]] == ODD
    assert [json.loads(r["route"]) for r in parsed[:-1]] == [ODD[:i] for i in range(len(ODD))]
    assert [r["metadata.owner"] for r in parsed[:-1]] == ODD
    assert parsed[-1] == {**{k: "" for k in parsed[-1]}, "distance": "9", "hidden": "true"}
    lines = _ndjson(rows).decode().splitlines()
    assert len(lines) == len(rows)  # a newline inside an id never splits a line
    assert [msgspec.json.decode(line).get("id") for line in lines] == [*ODD, None]


def test_metadata_prefixes_pick_one_key_whatever_it_holds() -> None:
    for key in ("owner", 'a"b', "ü", "x,y"):
        for value in ("v", 3, True, 'q"uote'):
            pair = meta_pair(key, value)
            assert pair.startswith(meta_prefix(key))
            assert not pair.startswith(meta_prefix(key + "x"))
            assert pair_value(pair) == json.loads(pair)[1]


def test_the_fold_counts_hidden_assets_without_naming_them() -> None:
    groups = [
        {"distance": 1, "visible": True, "deleted": False, "namespace": "a", "type": "T",
         "pairs": [meta_pair("owner", "ann")], "reached": 3},
        {"distance": 1, "visible": True, "deleted": True, "namespace": "", "type": "T", "pairs": [], "reached": 2},
        {"distance": 2, "visible": False, "deleted": None, "namespace": None, "type": None, "pairs": None,
         "reached": 4},
    ] + [
        {"distance": 3, "visible": True, "deleted": False, "namespace": f"n{i:02d}", "type": "T", "pairs": [],
         "reached": 1}
        for i in range(SUMMARY_TOP + 5)
    ]  # fmt: skip
    s = _fold(groups, ["owner"], "x", "downstream", Traversal())
    assert (s.total, s.visible, s.hidden, s.deleted) == (9 + SUMMARY_TOP + 5, 5 + SUMMARY_TOP + 5, 4, 2)
    assert [(d.distance, d.count, d.visible) for d in s.byDistance] == [(1, 5, 5), (2, 4, 0), (3, 30, 30)]
    assert s.byNamespace.values[0].value == "a" and s.byNamespace.missing == 2
    assert len(s.byNamespace.values) == SUMMARY_TOP and s.byNamespace.others == 6
    assert s.byMetadata["owner"].values[0].value == "ann" and s.byMetadata["owner"].missing == s.visible - 3


def test_the_summary_keys_setting() -> None:
    assert Settings.from_env({"LINEAGE_SUMMARY_KEYS": " owner, team ,owner"}).summary_key_list == ("owner", "team")
    with pytest.raises(msgspec.ValidationError, match="at most 5"):
        Settings.from_env({"LINEAGE_SUMMARY_KEYS": "a,b,c,d,e,f"})
