"""Merging a run's events (app/openlineage/runs.py) and reading column lineage out of it (app/openlineage/ingest.py)."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path

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
