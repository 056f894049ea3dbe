"""Impact, upstream and lineage over HTTP."""

from __future__ import annotations

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
