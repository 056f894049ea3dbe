"""A synthetic lineage graph shaped like a data platform.

Four layers, raw -> staging -> mart -> reports (20/30/30/20% of assets). Every asset above raw is written by
one task run reading 1 + Poisson(2.75) assets (about 3 input edges per asset overall): mostly from the layer
below and near its own position (teams build on their own tables); sometimes from an earlier model of its own
layer (models on models, so chains are deeper than four layers); sometimes from any earlier layer; and with
probability `hub_share` from a small set of hub tables chosen with a Zipf law, so a few tables are read by
thousands of tasks: the heavy tail that makes impact questions expensive. A share of assets are incremental
models that read the table they write (a self-loop: a cycle, as real lineage has).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from app.domain.assets import AssetWrite
from app.domain.keys import asset_key, execution_key, flow_key, task_slot_key
from app.domain.types import TABLE
from app.store.base import BulkAsset, BulkRun

LAYERS = (("raw", 0.2), ("staging", 0.3), ("mart", 0.3), ("reports", 0.2))
BASE_DATE = np.datetime64("2026-01-01T00:00:00", "s")


@dataclass
class SyntheticGraph:
    tenant: str
    n: int
    layer_of: np.ndarray  # layer index per asset
    bounds: list[tuple[str, int, int]]  # (layer, first index, end index)
    sources: np.ndarray  # edge i: sources[i] -> targets[i]
    targets: np.ndarray
    hubs: np.ndarray

    def asset_id(self, i: int) -> str:
        return f"{self.bounds[int(self.layer_of[i])][0]}.t{i:06d}"

    def key(self, i: int) -> str:
        return asset_key(self.tenant, self.asset_id(i))

    def layer(self, i: int) -> str:
        return self.bounds[int(self.layer_of[i])][0]

    @property
    def edges(self) -> int:
        return len(self.sources)

    def csr(self, upstream: bool = False) -> sp.csr_matrix:
        rows, cols = (self.targets, self.sources) if upstream else (self.sources, self.targets)
        data = np.ones(len(rows), dtype=np.int8)
        m = sp.csr_matrix((data, (rows, cols)), shape=(self.n, self.n))
        m.sum_duplicates()
        return m

    def metadata(self, i: int) -> dict[str, object]:
        return {"layer": self.layer(i), "owner": f"team-{i % 20:02d}", "system": "warehouse"}

    def assets(self, created: str = "2026-01-01T00:00:00.000000Z") -> Iterator[BulkAsset]:
        for i in range(self.n):
            state = AssetWrite(
                namespace=f"bench.{self.layer(i)}",
                type=TABLE,
                displayName=None,
                description=None,
                metadata=self.metadata(i),
            )
            p = state.params()
            yield BulkAsset(
                key=self.key(i),
                tenantId=self.tenant,
                id=self.asset_id(i),
                namespace=state.namespace,
                type=TABLE,
                metadata=p["metadata"],
                metaPairs=tuple(p["metaPairs"]),
                fingerprint=p["fingerprint"],
                created=created,
            )

    def runs(self) -> Iterator[BulkRun]:
        """One execution and task run per written asset."""
        order = np.argsort(self.targets, kind="stable")
        sources, targets = self.sources[order], self.targets[order]
        starts = np.searchsorted(targets, np.arange(self.n))
        ends = np.searchsorted(targets, np.arange(self.n), side="right")
        for i in range(self.n):
            if starts[i] == ends[i]:
                continue
            layer = self.layer(i)
            flow = f"build_{layer}_{i // 1000:03d}"
            namespace = f"bench.{layer}"
            execution = f"bench-{i:06d}"
            task = f"t{i:06d}"
            date = str(BASE_DATE + np.timedelta64(i, "s")) + ".000000Z"
            yield BulkRun(
                tenantId=self.tenant,
                executionKey=execution_key(self.tenant, execution),
                executionId=execution,
                namespace=namespace,
                flowId=flow,
                flowKey=flow_key(self.tenant, namespace, flow),
                taskId=task,
                value="",
                slotKey=task_slot_key(self.tenant, namespace, flow, task, ""),
                date=date,
                inputs=tuple(self.key(int(s)) for s in sources[starts[i] : ends[i]]),
                outputs=(self.key(i),),
            )


def generate(
    n: int = 100_000,
    *,
    tenant: str = "bench",
    seed: int = 42,
    hubs: int = 12,
    hub_share: float = 0.04,
    same_layer_share: float = 0.25,
    incremental_share: float = 0.03,
) -> SyntheticGraph:
    rng = np.random.default_rng(seed)
    bounds: list[tuple[str, int, int]] = []
    start = 0
    for i, (name, share) in enumerate(LAYERS):
        size = n - start if i == len(LAYERS) - 1 else int(n * share)
        bounds.append((name, start, start + size))
        start += size
    layer_of = np.zeros(n, dtype=np.int8)
    for li, (_, lo, hi) in enumerate(bounds):
        layer_of[lo:hi] = li
    raw_lo, raw_hi = bounds[0][1], bounds[0][2]
    hub_ids = rng.choice(np.arange(raw_lo, raw_hi), size=min(hubs, raw_hi - raw_lo), replace=False)
    hub_weights = 1.0 / np.arange(1, len(hub_ids) + 1) ** 1.2
    hub_weights /= hub_weights.sum()
    shares = _Shares(hub=hub_share, same_layer=same_layer_share, incremental=incremental_share)
    pairs = [
        _layer_edges(rng, bounds[li - 1], bounds[li], hub_ids, hub_weights, shares) for li in range(1, len(bounds))
    ]
    return SyntheticGraph(
        tenant=tenant,
        n=n,
        layer_of=layer_of,
        bounds=bounds,
        sources=np.concatenate([p[:, 0] for p in pairs]),
        targets=np.concatenate([p[:, 1] for p in pairs]),
        hubs=hub_ids,
    )


@dataclass(frozen=True)
class _Shares:
    hub: float
    same_layer: float
    incremental: float


def _layer_edges(
    rng: np.random.Generator,
    below: tuple[str, int, int],
    layer: tuple[str, int, int],
    hub_ids: np.ndarray,
    hub_weights: np.ndarray,
    shares: _Shares,
) -> np.ndarray:
    """The (parent, child) edges into one layer: each asset reads 1 + Poisson(2.75) parents, mostly near its own
    position in the layer below, sometimes any earlier asset, an earlier model of its own layer or a hub; a few
    read themselves (incremental models)."""
    _, lo, hi = layer
    _, plo, phi = below
    count = hi - lo
    k = 1 + rng.poisson(2.75, size=count)
    child = np.repeat(np.arange(lo, hi), k)
    m = len(child)
    kind = rng.random(m)
    parent = np.empty(m, dtype=np.int64)
    # near the child's relative position in the layer below (locality of teams)
    rel = (child - lo) / max(count, 1)
    centre = plo + (rel * (phi - plo)).astype(np.int64)
    spread = np.maximum(1, (phi - plo) // 50)
    near = centre + rng.integers(-spread, spread + 1, size=m)
    parent[:] = np.clip(near, plo, phi - 1)
    far = kind < 0.10  # any earlier asset
    parent[far] = rng.integers(0, lo, size=int(far.sum()))
    same = (kind >= 0.10) & (kind < 0.10 + shares.same_layer)  # an earlier model of the same layer
    back = rng.integers(1, max(2, count // 100), size=int(same.sum()))
    parent[same] = np.maximum(lo, child[same] - back)
    parent[same & (parent == child)] = plo  # the first model of a layer has no earlier sibling
    hub = kind > 1 - shares.hub
    parent[hub] = rng.choice(hub_ids, size=int(hub.sum()), p=hub_weights)
    incremental = rng.choice(np.arange(lo, hi), size=int(count * shares.incremental), replace=False)
    parent = np.concatenate([parent, incremental])
    child = np.concatenate([child, incremental])
    return np.unique(np.stack([parent, child], axis=1), axis=0)
