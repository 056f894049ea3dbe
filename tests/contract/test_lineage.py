"""Impact, upstream and lineage subgraphs on every backend, checked against a breadth-first search in the test."""

from __future__ import annotations

import random
from collections import deque

import pytest

from app.domain.access import Scope, open_scope
from app.domain.lineage import Traversal
from app.services import assets as assets_svc
from app.services import lineage
from app.services.flows import put_flow
from app.store.base import GraphStore
from tests.contract.helpers import SANDBOX, record

Edge = tuple[str, str]


def record_edges(store: GraphStore, tenant: str, edges: list[Edge], flow: str = "g", **fields: object) -> None:
    """One execution; one task run per edge (its own task slot)."""
    runs = [
        {"taskId": f"t{i}", "assets": {"inputs": [{"id": a}], "outputs": [{"id": b}]}} for i, (a, b) in enumerate(edges)
    ]
    record(store, tenant, {"namespace": "company.team", "flowId": flow, "taskRuns": runs, **fields})


def bfs(edges: list[Edge], start: str, upstream: bool = False, depth: int = 100) -> dict[str, int]:
    adj: dict[str, list[str]] = {}
    for a, b in edges:
        src, dst = (b, a) if upstream else (a, b)
        adj.setdefault(src, []).append(dst)
    dist = {start: 0}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        if dist[u] >= depth:
            continue
        for v in adj.get(u, []):
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    dist.pop(start)
    return dist


def answer(
    store: GraphStore,
    tenant: str,
    asset: str,
    upstream: bool = False,
    size: int = 1000,
    scope: Scope | None = None,
    **kw: object,
) -> dict[str, int]:
    traversal = Traversal.build(
        kw.pop("depth", None), bool(kw.pop("history", False)), kw.pop("after", None), kw.pop("before", None)
    )
    out: dict[str, int] = {}
    page = 1
    while True:
        p = lineage.impact(
            store,
            scope or open_scope(tenant),
            asset,
            "upstream" if upstream else "downstream",
            traversal,
            page=page,
            size=size,
            **kw,
        )  # type: ignore[arg-type]
        for item in p.results:
            assert item.id not in out, f"{item.id} listed twice"
            out[item.id or f"redacted{len(out)}"] = item.distance
        if page * size >= p.total:
            assert len(out) == p.total
            return out
        page += 1


def test_reference_flows_impact_of_the_taxi_table(store: GraphStore, tenant: str) -> None:
    record(store, tenant, flow="data_pipeline_assets")
    page = lineage.impact(store, open_scope(tenant), "sample_data.nyc.taxi", "downstream", Traversal())
    assert [(i.id, i.distance) for i in page.results] == [
        ("trips", 1),
        ("avg_passenger_count", 2),
        ("avg_trip_distance", 2),
    ]
    assert page.total == 3
    via = page.results[2].via
    assert via is not None and [(h.source, h.target, h.taskId, h.value) for h in via] == [
        ("sample_data.nyc.taxi", "trips", "create_staging_layer_asset", None),
        ("trips", "avg_trip_distance", "create_mart_layer_asset", "trip_distance"),
    ]
    up = lineage.impact(store, open_scope(tenant), "trips", "upstream", Traversal())
    assert [(i.id, i.distance, i.type) for i in up.results] == [
        ("sample_data.nyc.taxi", 1, "io.kestra.core.models.assets.External")
    ]
    down = lineage.impact(store, open_scope(tenant), "trips", "downstream", Traversal())
    assert sorted(i.id for i in down.results) == ["avg_passenger_count", "avg_trip_distance"]


@pytest.mark.parametrize("shape", ["diamond", "cycle", "self_loop", "random"])
def test_shapes_agree_with_bfs(store: GraphStore, tenant: str, shape: str) -> None:
    edges: list[Edge] = {
        "diamond": [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e"), ("a", "e")],
        "cycle": [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")],
        "self_loop": [("a", "a"), ("a", "b"), ("b", "b")],
        "random": [],
    }[shape]
    if shape == "random":
        rng = random.Random(11)
        nodes = [f"n{i}" for i in range(40)]
        edges = sorted({(rng.choice(nodes), rng.choice(nodes)) for _ in range(90)})
    record_edges(store, tenant, edges)
    for node in sorted({x for e in edges for x in e}):
        assert answer(store, tenant, node) == bfs(edges, node), node
        assert answer(store, tenant, node, upstream=True) == bfs(edges, node, upstream=True), node
        assert answer(store, tenant, node, depth=2, size=3) == bfs(edges, node, depth=2), node


def test_results_are_ordered_by_distance_then_id_and_paginated(store: GraphStore, tenant: str) -> None:
    edges = [("root", f"m{i:02d}") for i in range(12)] + [(f"m{i:02d}", f"z{i:02d}") for i in range(12)]
    record_edges(store, tenant, edges)
    pages = [
        lineage.impact(store, open_scope(tenant), "root", "downstream", Traversal(), page=p, size=5)
        for p in range(1, 6)
    ]
    first = pages[0].results[0]  # a page one hop away: routes read from the edges themselves
    assert first.via is not None and [(h.source, h.target, h.taskId) for h in first.via] == [("root", "m00", "t0")]
    up = lineage.impact(store, open_scope(tenant), "z03", "upstream", Traversal(), size=1)
    assert up.results[0].via is not None and [(h.source, h.target) for h in up.results[0].via] == [("m03", "z03")]
    listed = [(i.distance, i.id) for p in pages for i in p.results]
    assert listed == sorted(listed) and len(listed) == 24 and {p.total for p in pages} == {24}
    assert len(pages[4].results) == 4
    beyond = lineage.impact(store, open_scope(tenant), "root", "downstream", Traversal(), page=6, size=5)
    assert beyond.results == [] and beyond.total == 24


def test_deep_chain_and_depth_cap(store: GraphStore, tenant: str) -> None:
    chain = [(f"c{i:02d}", f"c{i + 1:02d}") for i in range(60)]
    record_edges(store, tenant, chain)
    full = answer(store, tenant, "c00")
    assert len(full) == 60 and full["c60"] == 60
    assert answer(store, tenant, "c60", upstream=True)["c00"] == 60
    assert answer(store, tenant, "c00", depth=7) == bfs(chain, "c00", depth=7)
    far = lineage.impact(store, open_scope(tenant), "c00", "downstream", Traversal(), page=2, size=50)
    assert [i.id for i in far.results][-1] == "c60" and far.results[-1].via is not None
    assert len(far.results[-1].via or []) == 60


def test_deleted_assets_are_flagged_not_dropped(store: GraphStore, tenant: str) -> None:
    record_edges(store, tenant, [("a", "b"), ("b", "c")])
    assets_svc.delete_asset(store, open_scope(tenant), "b")
    page = lineage.impact(store, open_scope(tenant), "a", "downstream", Traversal())
    assert [(i.id, i.deleted) for i in page.results] == [("b", True), ("c", False)]


def test_type_and_namespace_filters(store: GraphStore, tenant: str) -> None:
    record(
        store,
        tenant,
        {
            "namespace": "company.team",
            "flowId": "f",
            "taskRuns": [
                {
                    "taskId": "t1",
                    "assets": {
                        "inputs": [{"id": "src"}],
                        "outputs": [
                            {"id": "x", "type": "T1", "namespace": "data.mart"},
                            {"id": "y", "type": "T2", "namespace": "data"},
                        ],
                    },
                },
                {"taskId": "t2", "assets": {"inputs": [{"id": "x"}], "outputs": [{"id": "z", "type": "T1"}]}},
            ],
        },
    )
    scope = open_scope(tenant)
    by_type = lineage.impact(store, scope, "src", "downstream", Traversal(), type="T1")
    assert [(i.id, i.distance) for i in by_type.results] == [("x", 1), ("z", 2)] and by_type.total == 2
    by_ns = lineage.impact(store, scope, "src", "downstream", Traversal(), namespace="data")
    assert [i.id for i in by_ns.results] == ["x", "y"]


def test_current_lineage_history_and_time_window(store: GraphStore, tenant: str) -> None:
    body = {"namespace": "company.team", "flowId": "etl"}
    record(
        store,
        tenant,
        {
            **body,
            "id": "e1",
            "startDate": "2026-01-01T00:00:00Z",
            "taskRuns": [
                {"taskId": "load", "assets": {"inputs": [{"id": "old_src"}, {"id": "src"}], "outputs": [{"id": "dst"}]}}
            ],
        },
    )
    record(
        store,
        tenant,
        {
            **body,
            "id": "e2",
            "startDate": "2026-02-01T00:00:00Z",
            "taskRuns": [{"taskId": "load", "assets": {"inputs": [{"id": "src"}], "outputs": [{"id": "dst"}]}}],
        },
    )
    assert answer(store, tenant, "old_src") == {}
    assert answer(store, tenant, "old_src", history=True) == {"dst": 1}
    assert answer(store, tenant, "dst", upstream=True) == {"src": 1}
    assert answer(store, tenant, "dst", upstream=True, history=True) == {"src": 1, "old_src": 1}
    january = {"after": "2026-01-01T00:00:00Z", "before": "2026-01-15T00:00:00Z"}
    assert answer(store, tenant, "dst", upstream=True, **january) == {"src": 1, "old_src": 1}
    assert answer(store, tenant, "dst", upstream=True, after="2026-01-15T00:00:00Z") == {"src": 1}
    # a late-arriving older execution does not take the slot back
    record(
        store,
        tenant,
        {
            **body,
            "id": "e0",
            "startDate": "2025-12-01T00:00:00Z",
            "taskRuns": [{"taskId": "load", "assets": {"inputs": [{"id": "ancient"}], "outputs": [{"id": "dst"}]}}],
        },
    )
    assert answer(store, tenant, "dst", upstream=True) == {"src": 1}
    # usages keep the full history
    usages = lineage_usages(store, tenant, "old_src")
    assert usages == [("READ", "e1", False)]


def lineage_usages(store: GraphStore, tenant: str, asset: str) -> list[tuple[str, str, bool]]:
    from app.services.usages import asset_usages

    return [(u.relation, u.executionId, u.current) for u in asset_usages(store, open_scope(tenant), asset).results]


def test_tasks_removed_from_the_stored_flow_leave_current_lineage(store: GraphStore, tenant: str) -> None:
    v1 = """id: etl
namespace: company.team
tasks:
  - id: a
    type: x
    assets: {inputs: [{id: s1}], outputs: [{id: t1}]}
  - id: b
    type: x
    assets: {inputs: [{id: s2}], outputs: [{id: t2}]}
"""
    scope = open_scope(tenant)
    put_flow(store, scope, SANDBOX, v1)
    record(store, tenant, namespace="company.team", flowId="etl")
    assert answer(store, tenant, "s2") == {"t2": 1}
    put_flow(store, scope, SANDBOX, v1.split("  - id: b")[0])
    assert answer(store, tenant, "s2") == {}
    assert answer(store, tenant, "s2", history=True) == {"t2": 1}
    assert answer(store, tenant, "s1") == {"t1": 1}


def test_redacted_nodes_keep_counts_honest(store: GraphStore, tenant: str) -> None:
    record(
        store,
        tenant,
        {
            "namespace": "company.team",
            "flowId": "f",
            "taskRuns": [
                {
                    "taskId": "t1",
                    "assets": {"inputs": [{"id": "src"}], "outputs": [{"id": "secret", "namespace": "hr"}]},
                },
                {"taskId": "t2", "assets": {"inputs": [{"id": "secret"}], "outputs": [{"id": "report"}]}},
            ],
        },
    )
    viewer = Scope(tenant=tenant, read=("company.team",), write=())
    page = lineage.impact(store, viewer, "src", "downstream", Traversal())
    assert page.total == 2
    assert page.results[0].redacted and page.results[0].id is None and page.results[0].distance == 1
    report = page.results[1]
    assert (report.id, report.distance) == ("report", 2)
    assert report.via is not None and report.via[0].target is None and report.via[1].source is None
    assert "secret" not in str(page)


def test_lineage_subgraph(store: GraphStore, tenant: str) -> None:
    record(store, tenant, flow="data_pipeline_assets")
    graph = lineage.lineage_graph(store, open_scope(tenant), "trips", Traversal())
    assets = {n.id: n for n in graph.nodes if n.kind == "asset"}
    runs = [n for n in graph.nodes if n.kind == "execution"]
    assert set(assets) == {"trips", "sample_data.nyc.taxi", "avg_passenger_count", "avg_trip_distance"}
    assert assets["trips"].side == "center" and assets["sample_data.nyc.taxi"].side == "upstream"
    assert assets["avg_trip_distance"].side == "downstream" and len(runs) == 3
    keys = {n.key for n in graph.nodes}
    assert all(e.source in keys and e.target in keys for e in graph.edges)
    assert sorted(e.type for e in graph.edges) == ["READ"] * 3 + ["WROTE"] * 3
    assert graph.impactCount == 2 and not graph.truncated
    capped = lineage.lineage_graph(store, open_scope(tenant), "trips", Traversal(), node_cap=2)
    assert capped.truncated and len(capped.nodes) <= 2
    down = lineage.lineage_graph(store, open_scope(tenant), "trips", Traversal(), direction="downstream")
    assert {n.id for n in down.nodes if n.kind == "asset"} == {"trips", "avg_passenger_count", "avg_trip_distance"}
