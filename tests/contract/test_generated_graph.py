"""On a small generated platform graph, every backend's impact and upstream answers equal the CSR baseline's
(the same check `lineage bench --verify` runs at scale)."""

from __future__ import annotations

import numpy as np

from app.bench.answers import all_distances
from app.bench.baselines import CsrBaseline
from app.bench.graph import generate
from app.store.base import GraphStore


def test_answers_equal_the_csr_baseline(store: GraphStore, tenant: str) -> None:
    graph = generate(3_000, tenant=tenant, seed=7)
    store.bulk_load(graph.assets(), graph.runs())
    csr = CsrBaseline(graph)
    rng = np.random.default_rng(3)
    hub = max(graph.hubs.tolist(), key=lambda h: len(csr.reached(int(h))))
    sample = [int(hub), *rng.choice(graph.n, size=25, replace=False).tolist()]
    for node in sample:
        for direction, upstream in (("downstream", False), ("upstream", True)):
            expected = {graph.asset_id(i): d for i, d in csr.distances(node, upstream=upstream).items()}
            assert all_distances(store, tenant, graph.asset_id(node), direction) == expected, (direction, node)
    assert len(csr.reached(int(hub))) > 300  # the hub really is one
