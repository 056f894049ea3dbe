"""Impact, upstream and lineage over HTTP."""

from __future__ import annotations

import msgspec
from litestar.testing import TestClient

from tests.api.test_assets_api import problem
from tests.contract.helpers import flow_yaml


def test_impact_upstream_lineage(client: TestClient, base: str) -> None:
    assert client.post(f"{base}/executions", json={"flow": flow_yaml("data_pipeline_assets")}).status_code == 201
    impact = client.get(f"{base}/assets/sample_data.nyc.taxi/impact").json()
    assert impact["total"] == 3 and impact["direction"] == "downstream"
    assert [(r["id"], r["distance"]) for r in impact["results"]] == [
        ("trips", 1),
        ("avg_passenger_count", 2),
        ("avg_trip_distance", 2),
    ]
    assert [h["to"] for h in impact["results"][1]["via"]] == ["trips", "avg_passenger_count"]
    paged = client.get(f"{base}/assets/sample_data.nyc.taxi/impact", params={"size": 1, "page": 3}).json()
    assert [r["id"] for r in paged["results"]] == ["avg_trip_distance"] and paged["total"] == 3
    shallow = client.get(f"{base}/assets/sample_data.nyc.taxi/impact", params={"depth": 1}).json()
    assert [r["id"] for r in shallow["results"]] == ["trips"]
    up = client.get(f"{base}/assets/avg_trip_distance/upstream").json()
    assert [(r["id"], r["distance"]) for r in up["results"]] == [("trips", 1), ("sample_data.nyc.taxi", 2)]
    graph = client.get(f"{base}/assets/trips/lineage", params={"depth": 1}).json()
    assert {n["id"] for n in graph["nodes"] if n["kind"] == "asset"} == {
        "trips",
        "sample_data.nyc.taxi",
        "avg_passenger_count",
        "avg_trip_distance",
    }
    assert graph["impactCount"] == 2 and graph["truncated"] is False
    assert {e["type"] for e in graph["edges"]} == {"READ", "WROTE"}


def test_lineage_parameters_are_checked(client: TestClient, base: str) -> None:
    client.put(f"{base}/assets/a", json={"type": "x"})
    problem(client.get(f"{base}/assets/a/impact", params={"depth": 0}), 400, "depth")
    problem(client.get(f"{base}/assets/a/impact", params={"depth": 101}), 400, "depth")
    problem(client.get(f"{base}/assets/a/impact", params={"size": 5000}), 400, "size")
    problem(client.get(f"{base}/assets/a/impact", params={"after": "yesterday"}), 422, "after")
    # found by the fuzzer: before the first representable instant once the offset is applied
    problem(client.get(f"{base}/assets/a/upstream", params={"after": "0001-01-01T00:00:00+00:01"}), 422, "after")
    problem(client.get(f"{base}/assets/a/lineage", params={"before": "9999-12-31T23:59:59-00:01"}), 422, "before")
    problem(client.get(f"{base}/assets/a/lineage", params={"direction": "sideways"}), 400, "direction")
    problem(client.get(f"{base}/assets/nope/upstream"), 404, "id")
    empty = client.get(f"{base}/assets/a/impact").json()
    assert empty["total"] == 0 and empty["results"] == []


def test_summary_export_and_grouped_drawing(client: TestClient, base: str) -> None:
    assert client.post(f"{base}/executions", json={"flow": flow_yaml("data_pipeline_assets")}).status_code == 201
    s = client.get(f"{base}/assets/sample_data.nyc.taxi/impact/summary", params={"keys": ["model_layer"]}).json()
    assert (s["total"], s["visible"], s["hidden"], s["deleted"]) == (3, 3, 0, 0)
    assert s["byDistance"] == [{"distance": 1, "count": 1, "visible": 1}, {"distance": 2, "count": 2, "visible": 2}]
    assert s["byNamespace"] == {"values": [{"value": "kestra.company.data", "count": 3}], "others": 0, "missing": 0}
    assert s["byMetadata"]["model_layer"]["values"] == [{"value": "mart", "count": 2}, {"value": "staging", "count": 1}]
    default = client.get(f"{base}/assets/sample_data.nyc.taxi/impact/summary").json()
    assert list(default["byMetadata"]) == ["owner"] and default["byMetadata"]["owner"]["missing"] == 3
    up = client.get(f"{base}/assets/avg_trip_distance/upstream/summary", params={"depth": 1}).json()
    assert up["direction"] == "upstream" and up["total"] == 1

    csv_answer = client.get(f"{base}/assets/sample_data.nyc.taxi/impact", params={"format": "csv"})
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    assert 'filename="downstream-sample_data.nyc.taxi.csv"' in csv_answer.headers["content-disposition"]
    lines = csv_answer.text.splitlines()
    assert lines[0].startswith("distance,id,namespace,type,") and lines[0].endswith(",metadata.owner,hidden")
    assert [line.split(",")[1] for line in lines[1:]] == ["trips", "avg_passenger_count", "avg_trip_distance"]
    nd = client.get(f"{base}/assets/avg_trip_distance/upstream", params={"format": "ndjson", "keys": "model_layer"})
    assert nd.headers["content-type"].startswith("application/x-ndjson")
    rows = [msgspec.json.decode(line) for line in nd.text.splitlines()]
    assert [(r["id"], r["distance"], r.get("metadata")) for r in rows] == [
        ("trips", 1, {"model_layer": "staging"}),
        ("sample_data.nyc.taxi", 2, None),
    ]

    drawing = client.get(f"{base}/assets/trips/lineage", params={"group": 1, "depth": 1}).json()
    kinds = sorted(n["kind"] for n in drawing["nodes"])
    # one downstream sibling drawn and a group of one would say less than the asset: both drawn
    assert kinds.count("group") == 0 and kinds.count("asset") == 4
    assert drawing["impactCount"] == 2


def test_summary_and_export_parameters_are_checked(client: TestClient, base: str) -> None:
    client.put(f"{base}/assets/a", json={"type": "x"})
    keys = [f"k{i}" for i in range(6)]
    problem(client.get(f"{base}/assets/a/impact/summary", params={"keys": keys}), 400, "keys")
    problem(client.get(f"{base}/assets/a/impact", params={"format": "csv", "keys": keys}), 400, "keys")
    problem(client.get(f"{base}/assets/a/upstream/summary", params={"keys": "k" * 129}), 422, "keys")
    problem(client.get(f"{base}/assets/a/impact", params={"format": "xml"}), 400, "format")
    problem(client.get(f"{base}/assets/nope/impact", params={"format": "ndjson"}), 404, "id")
    problem(client.get(f"{base}/assets/nope/impact/summary"), 404, "id")
    problem(client.get(f"{base}/assets/a/lineage", params={"group": 0}), 400, "group")
    problem(client.get(f"{base}/assets/a/lineage", params={"group": 101}), 400, "group")
    empty = client.get(f"{base}/assets/a/impact", params={"format": "csv"})
    assert empty.status_code == 200 and len(empty.text.splitlines()) == 1  # the header alone
