"""On a small generated platform graph, on every backend: the impact (upstream) summary counts what the CSR
baseline reaches, the export lists exactly those assets with a real shortest route each, and the grouped drawing
accounts for every neighbour it does not draw. A caller who may read only some namespaces gets the others
counted, never named."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

import pytest

from app.bench.baselines import CsrBaseline
from app.bench.graph import SyntheticGraph, generate
from app.domain.access import Scope, open_scope
from app.domain.lineage import HIDDEN_STEP, Traversal
from app.errors import InvalidInput
from app.services import blast_radius, drawing
from app.store.base import GraphStore

Graph = tuple[SyntheticGraph, CsrBaseline, int]


@pytest.fixture
def platform(store: GraphStore, tenant: str) -> Graph:
    graph = generate(3_000, tenant=tenant, seed=11)
    store.bulk_load(graph.assets(), graph.runs())
    csr = CsrBaseline(graph)
    hub = max(graph.hubs.tolist(), key=lambda h: len(csr.reached(int(h))))
    return graph, csr, int(hub)


def _expected(graph: SyntheticGraph, csr: CsrBaseline, node: int, upstream: bool) -> dict[str, int]:
    return {graph.asset_id(i): d for i, d in csr.distances(node, upstream=upstream).items()}


def _export(store: GraphStore, scope: Scope, asset: str, direction: str, keys: list[str]) -> list[Any]:
    stream = blast_radius.export(store, scope, asset, direction, Traversal(), keys)  # type: ignore[arg-type]
    return [row for batch in stream for row in batch]


def test_summary_counts_the_whole_answer(store: GraphStore, platform: Graph, tenant: str) -> None:
    graph, csr, hub = platform
    scope = open_scope(tenant)
    for node, upstream in ((hub, False), (graph.n - 1, True), (hub, True)):
        direction = "upstream" if upstream else "downstream"
        expected = _expected(graph, csr, node, upstream)
        s = blast_radius.summary(store, scope, graph.asset_id(node), direction, Traversal(), ["owner", "layer"])
        assert (s.total, s.visible, s.hidden, s.deleted) == (len(expected), len(expected), 0, 0)
        assert {d.distance: d.count for d in s.byDistance} == dict(Counter(expected.values()))
        layers = Counter(i.split(".")[0] for i in expected)
        assert {v.value: v.count for v in s.byNamespace.values} == {f"bench.{k}": n for k, n in layers.items()}
        assert {v.value: v.count for v in s.byMetadata["layer"].values} == dict(layers)
        owners = Counter(graph.metadata(int(i.split(".t")[1]))["owner"] for i in expected)
        listed = {v.value: v.count for v in s.byMetadata["owner"].values}
        assert listed == dict(owners) and s.byMetadata["owner"].missing == 0
        assert [v.count for v in s.byMetadata["owner"].values] == sorted(owners.values(), reverse=True)
    assert len(csr.reached(hub)) > 300  # the hub really is one

    # a shallower search counts less; no key, no breakdown; too many keys is the caller's error
    shallow = blast_radius.summary(store, scope, graph.asset_id(hub), "downstream", Traversal(depth=1), [])
    assert shallow.total == sum(1 for d in _expected(graph, csr, hub, False).values() if d == 1)
    assert shallow.byMetadata == {}
    with pytest.raises(InvalidInput) as err:
        blast_radius.summary(store, scope, graph.asset_id(hub), "downstream", Traversal(), list("abcdef"))
    assert err.value.field == "keys"


def test_export_lists_every_asset_with_a_real_route(store: GraphStore, platform: Graph, tenant: str) -> None:
    graph, csr, hub = platform
    edges = {
        (graph.asset_id(int(s)), graph.asset_id(int(t))) for s, t in zip(graph.sources, graph.targets, strict=True)
    }
    scope = open_scope(tenant)
    for node, upstream in ((hub, False), (graph.n - 1, True)):
        direction = "upstream" if upstream else "downstream"
        start = graph.asset_id(node)
        rows = _export(store, scope, start, direction, ["owner"])
        assert {r.id: r.distance for r in rows} == _expected(graph, csr, node, upstream)
        assert [r.distance for r in rows] == sorted(r.distance for r in rows)  # nearest first
        for r in rows:
            chain = [start, *r.route, r.id]
            assert len(r.route) == r.distance - 1
            pairs = pairwise(chain) if not upstream else ((b, a) for a, b in pairwise(chain))
            assert all(pair in edges for pair in pairs), (r.id, chain)
            # the last step's task run: the one that wrote the asset (downstream) or read it (upstream)
            written = r.id if not upstream else chain[-2]
            assert r.taskId == "t" + written.split(".t")[1]
            assert r.metadata == {"owner": graph.metadata(int(r.id.split(".t")[1]))["owner"]}


def test_a_narrow_caller_gets_the_rest_counted_not_named(store: GraphStore, platform: Graph, tenant: str) -> None:
    graph, csr, hub = platform
    scope = Scope(tenant=tenant, read=("bench.raw", "bench.staging"))
    expected = _expected(graph, csr, hub, False)
    seen = {i: d for i, d in expected.items() if i.startswith(("raw.", "staging."))}
    s = blast_radius.summary(store, scope, graph.asset_id(hub), "downstream", Traversal(), ["owner"])
    assert (s.total, s.visible, s.hidden) == (len(expected), len(seen), len(expected) - len(seen))
    assert {v.value for v in s.byNamespace.values} <= {"bench.raw", "bench.staging"}
    assert sum(v.count for v in s.byMetadata["owner"].values) + s.byMetadata["owner"].others == len(seen)

    rows = _export(store, scope, graph.asset_id(hub), "downstream", ["owner"])
    assert {r.id: r.distance for r in rows if not r.hidden} == seen
    hidden = [r for r in rows if r.hidden]
    assert len(hidden) == len(expected) - len(seen)
    assert all(r.id is None and r.metadata == {} and r.route == [] and r.taskId is None for r in hidden)
    for r in rows:
        assert all(step == HIDDEN_STEP or step.startswith(("raw.", "staging.")) for step in r.route)
        if r.taskId is not None:  # a hidden namespace's task run is not named either
            assert r.flowNamespace in ("bench.raw", "bench.staging")

    graph_answer = drawing.grouped_graph(
        store, scope, graph.asset_id(hub), Traversal(depth=2), direction="downstream", siblings=4, node_cap=200
    )
    for n in graph_answer.nodes:
        if n.redacted:
            assert n.id is None and n.namespace is None and n.type is None
        elif n.kind == "asset":
            assert n.namespace in ("bench.raw", "bench.staging")


def test_grouped_drawing_accounts_for_every_neighbour(store: GraphStore, platform: Graph, tenant: str) -> None:
    graph, csr, hub = platform
    scope = open_scope(tenant)
    first = {i for i, d in _expected(graph, csr, hub, False).items() if d == 1}
    answer = drawing.grouped_graph(
        store, scope, graph.asset_id(hub), Traversal(depth=2), direction="downstream", siblings=5, node_cap=300
    )
    level1 = [n for n in answer.nodes if n.distance == 1]
    drawn = {n.id for n in level1 if n.kind == "asset"}
    groups = [n for n in level1 if n.kind == "group"]
    assert len(drawn) == 5 and drawn <= first
    assert sum(g.count or 0 for g in groups) == len(first) - 5
    assert all(g.parentId == graph.asset_id(hub) for g in groups)
    assert len({(g.namespace, g.type) for g in groups}) == len(groups)  # one per namespace and type
    # each drawn sibling of a different kind when there are several kinds: the groups' namespaces all appear
    assert {n.namespace for n in level1 if n.kind == "asset"} == {g.namespace for g in groups}
    keys = {n.key for n in answer.nodes}
    assert all(e.source in keys and e.target in keys for e in answer.edges)
    assert answer.impactCount == len(csr.reached(hub))  # the whole impact, whatever the drawing's depth
    # a task run joining one asset to one other is an edge; one joining several stays a node
    for n in answer.nodes:
        if n.kind == "execution":
            ends = [e for e in answer.edges if n.key in (e.source, e.target)]
            assert len(ends) > 2
