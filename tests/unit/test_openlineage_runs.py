"""Merging a run's events (app/openlineage/runs.py) and reading column lineage out of it (app/openlineage/ingest.py)."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.openlineage import ingest
from app.openlineage.runs import MAX_KEPT_EVENTS, RunEvents

CORPUS = Path(__file__).resolve().parents[1] / "data" / "openlineage"


def events_of(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text().splitlines()]


def test_the_merge_does_not_depend_on_arrival_order_and_ignores_repeats() -> None:
    dbt = events_of("dbt_csv_to_postgres.jsonl")
    run = [e for e in dbt if e["run"]["runId"] == dbt[-1]["run"]["runId"]]
    assert [e["eventType"] for e in run] == ["START", "COMPLETE"]
    views = []
    for order in itertools.permutations([*run, run[0]]):
        kept = RunEvents()
        for e in order:
            kept.add(json.loads(json.dumps(e)))
        views.append((kept.fingerprint(), kept.view().as_event()))
    assert all(v == views[0] for v in views)
    _, merged = views[0]
    assert merged["eventType"] == "COMPLETE" and len(merged["inputs"]) == 2
    assert "columnLineage" in merged["outputs"][0]["facets"]


def test_merging_leaves_every_kept_event_as_it_was_sent() -> None:
    """The merged view copies datasets shallowly; what it merges in must never reach the events it keeps."""
    dbt = events_of("dbt_csv_to_postgres.jsonl")
    run = [e for e in dbt if e["run"]["runId"] == dbt[-1]["run"]["runId"]]
    later = copy.deepcopy(run[-1])
    later["eventTime"] = "2099-01-01T00:00:00Z"
    for dataset in later["outputs"]:
        dataset["facets"]["extra"] = {"_producer": "p", "_schemaURL": "u", "n": 1}
        dataset["extra"] = "x"
    kept = RunEvents()
    for e in (*run, later):
        kept.add(copy.deepcopy(e))
    sent = copy.deepcopy([entry["event"] for entry in kept.events])
    merged = kept.view().as_event()
    assert all("extra" in d["facets"] and d["extra"] == "x" for d in merged["outputs"])
    assert [entry["event"] for entry in kept.events] == sent
    assert all("extra" not in d["facets"] for e in sent[:-1] for d in e["outputs"])


def test_a_terminal_event_decides_the_state_and_the_start_is_the_earliest_start() -> None:
    base = events_of("airflow_postgres.jsonl")[1]
    kept = RunEvents()
    for kind, time in (
        ("RUNNING", "2021-07-01T10:00:07Z"),
        ("FAIL", "2021-07-01T10:00:09Z"),
        ("START", "2021-07-01T10:00:05Z"),
    ):
        kept.add({**base, "eventType": kind, "eventTime": time})
    view = kept.view()
    assert (view.state, view.started(), view.end_time) == (
        "FAIL",
        "2021-07-01T10:00:05.000000Z",
        "2021-07-01T10:00:09.000000Z",
    )
    body = ingest.execution_body(view, "t")
    assert body["state"] == "FAILED" and body["id"] == base["run"]["runId"]


def test_a_run_sending_events_forever_stays_bounded_and_keeps_its_start() -> None:
    base = events_of("airflow_postgres.jsonl")[1]
    kept = RunEvents()
    kept.add({**base, "eventType": "START", "eventTime": "2021-07-01T00:00:00Z"})
    for i in range(3 * MAX_KEPT_EVENTS):
        ds = {"namespace": "s3://b", "name": f"part-{i}", "facets": {}}
        kept.add(
            {**base, "eventType": "RUNNING", "eventTime": f"2021-07-01T01:{i // 60:02d}:{i % 60:02d}Z", "outputs": [ds]}
        )
    assert len(kept.events) <= MAX_KEPT_EVENTS
    view = kept.view()
    assert view.started() == "2021-07-01T00:00:00.000000Z"
    assert len(view.outputs) == 3 * MAX_KEPT_EVENTS  # nothing folded away is lost


def test_column_lineage_from_spark_keeps_each_hops_transformations() -> None:
    kept = RunEvents()
    kept.add(events_of("spark_cll.jsonl")[0])
    lineage = ingest.column_lineage(kept.view(), "t")
    edges = {(e["sourceAsset"], e["sourceColumn"], e["targetColumn"]): e["transformations"] for e in lineage.edges}
    src1, src2 = "file//tmp/cll_test/cll_source1", "file//tmp/cll_test/cll_source2"
    assert edges[(src2, "c", "agg")] == "DIRECT/AGGREGATION"
    assert edges[(src1, "a", "ident")] == "DIRECT/IDENTITY,INDIRECT/GROUP_BY,INDIRECT/JOIN,INDIRECT/FILTER"
    assert len(edges) == 10
    types = {(c["assetId"], c["name"]): c["type"] for c in lineage.columns}
    assert types[("file//tmp/cll_test/tbl1", "agg")] == "long" and types[(src1, "b")] == "string"


def test_dataset_level_dependencies_feed_every_output_column() -> None:
    event = events_of("spark_cll.jsonl")[0]
    facet = event["outputs"][0]["facets"]["columnLineage"]
    facet["dataset"] = [
        {
            "namespace": "file",
            "name": "/tmp/cll_test/filter",
            "field": "flag",
            "transformations": [{"type": "INDIRECT", "subtype": "FILTER"}],
        }
    ]
    kept = RunEvents()
    kept.add(event)
    view = kept.view()
    declared = copy.deepcopy(event)
    declared["inputs"].append({"namespace": "file", "name": "/tmp/cll_test/filter", "facets": {}})
    kept = RunEvents()
    kept.add(declared)
    lineage = ingest.column_lineage(kept.view(), "t")
    from_filter = {e["targetColumn"] for e in lineage.edges if e["sourceAsset"] == "file//tmp/cll_test/filter"}
    assert from_filter == {"ident", "trans", "agg"}
    # a dataset the run does not declare (a SQL parser's CTE) gives no column edge and no input
    assert [d["name"] for d in ingest.undeclared_sources(view)] == ["/tmp/cll_test/filter"]
    undeclared = ingest.column_lineage(view, "t")
    assert not [e for e in undeclared.edges if e["sourceAsset"] == "file//tmp/cll_test/filter"]


_KIND_TEXT = st.sampled_from(["DIRECT", "INDIRECT", "IDENTITY", "A,B", "", "FILTER", "LONG" * 300])  # past the cache
_TRANSFORMATION = st.one_of(
    st.fixed_dictionaries({"type": _KIND_TEXT}, optional={"subtype": _KIND_TEXT, "masking": st.booleans()}),
    st.sampled_from(["not a map", None]),
)
_SOURCE = st.fixed_dictionaries(
    {"namespace": st.just("ns"), "name": st.sampled_from(["in1", "in2", "cte"]), "field": st.sampled_from("abc")},
    optional={"transformations": st.lists(_TRANSFORMATION, max_size=3)},
)


def _kinds_as_specified(sources: list[tuple[dict, dict]]) -> str:
    """What an edge named by several input fields carries: each named transformation once, in the order first named
    (TYPE/SUBTYPE, TYPE, or the output field's transformationType when the input field names none)."""
    named: list[str] = []
    for source, out_field in sources:
        kinds = [
            "/".join(str(t[k]) for k in ("type", "subtype") if t.get(k))
            for t in source.get("transformations") or []
            if isinstance(t, dict) and t.get("type")
        ]
        if not kinds and out_field.get("transformationType"):
            kinds = [str(out_field["transformationType"])]
        named += ",".join(kinds).split(",")
    return ",".join(dict.fromkeys(k for k in named if k))


@settings(max_examples=300, deadline=None)
@given(
    fields=st.dictionaries(
        st.sampled_from(["x", "y", "z"]),
        st.fixed_dictionaries(
            {"inputFields": st.lists(_SOURCE, max_size=4)},
            optional={"transformationType": st.sampled_from(["IDENTITY", "MASKED"])},
        ),
        max_size=3,
    ),
    whole=st.lists(_SOURCE, max_size=2),
    schema=st.lists(st.sampled_from(["x", "w"]), max_size=2, unique=True),
)
def test_an_edge_named_several_times_keeps_each_transformation_once(fields: dict, whole: list, schema: list) -> None:
    output = {
        "namespace": "ns",
        "name": "out",
        "facets": {
            "schema": {"fields": [{"name": n} for n in schema]},
            "columnLineage": {"fields": fields, **({"dataset": whole} if whole else {})},
        },
    }
    kept = RunEvents()
    kept.add(
        {
            "eventType": "COMPLETE",
            "eventTime": "2026-01-01T00:00:00Z",
            "run": {"runId": "01890000-0000-7000-8000-000000000000"},
            "job": {"namespace": "ns", "name": "job"},
            "inputs": [{"namespace": "ns", "name": "in1"}, {"namespace": "ns", "name": "in2"}],
            "outputs": [output],
        }
    )
    expected: dict[tuple[str, str], list[tuple[dict, dict]]] = {}
    for out_name, out_field in fields.items():
        for source in out_field["inputFields"]:
            if source["name"] != "cte":
                expected.setdefault((f"{source['name']}.{source['field']}", out_name), []).append((source, out_field))
    for source in whole:
        for out_name in sorted({*fields, *schema}):
            if source["name"] != "cte":
                expected.setdefault((f"{source['name']}.{source['field']}", out_name), []).append((source, {}))
    lineage = ingest.column_lineage(kept.view(), "t")
    got = {(f"{e['sourceAsset'].split('/')[-1]}.{e['sourceColumn']}", e["targetColumn"]): e for e in lineage.edges}
    assert set(got) == set(expected)
    for key, named in expected.items():
        assert got[key]["transformations"] == _kinds_as_specified(named)
    assert ingest._column_edge_count(output) == sum(len(f["inputFields"]) for f in fields.values()) + len(whole) * len(
        {*fields, *schema}
    )
