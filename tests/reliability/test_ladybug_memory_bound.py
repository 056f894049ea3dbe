"""LadybugDB's memory: the engine holds a query's whole answer, and its search, in its buffer pool before the first
row is read, and a prepared statement kept that memory until its next run (docs/measurements.md: Where an export's
memory goes). An answer larger than the pool is a 503 the caller can read, not a 500, and the server goes on; an
answer read leaves its memory to the next query. The pool here is made small: the engine enforces it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from litestar.testing import TestClient

from app.asgi import create_app
from app.domain.access import Scope
from app.domain.keys import asset_key, execution_key, flow_key, task_slot_key
from app.domain.lineage import Traversal
from app.services import blast_radius
from app.settings import Settings
from app.store import open_store
from app.store.base import BulkAsset, BulkRun
from app.store.ladybug import MIN_ENGINE_MEMORY_BYTES, LadybugStore, engine_memory_bytes
from tests.api.test_assets_api import problem

TENANT = "acme"
#: one asset read by this many task runs, each writing an asset of its own: the export of the first holds them all
FAN_OUT = 20_000
BASE = f"/api/v1/{TENANT}/assets"
SCOPE = Scope(tenant=TENANT)
#: enough to serve this store, not to hold the hub's export
SMALL_POOL_MB = 32
#: enough to hold the hub's export, not that and what ten depths' searches kept
POOL_MB = 40


def _asset(i: int) -> BulkAsset:
    return BulkAsset(
        key=asset_key(TENANT, f"a{i}"), tenantId=TENANT, id=f"a{i}", namespace="data", type="TABLE",
        metadata="{}", metaPairs=(), fingerprint="-", created="2026-01-01T00:00:00.000Z",
    )  # fmt: skip


def _run(i: int) -> BulkRun:
    return BulkRun(
        tenantId=TENANT, executionKey=execution_key(TENANT, f"e{i}"), executionId=f"e{i}", namespace="data",
        flowId="load", flowKey=flow_key(TENANT, "data", "load"), taskId="copy", value=str(i),
        slotKey=task_slot_key(TENANT, "data", "load", "copy", str(i)), date="2026-01-01T00:00:00.000Z",
        inputs=(asset_key(TENANT, "a0"),), outputs=(asset_key(TENANT, f"a{i}"),),
    )  # fmt: skip


@contextmanager
def _serve(tmp_path: Path, pool_mb: int) -> Iterator[TestClient]:
    """The fan-out, loaded then checkpointed at close (a load's pages stay in the pool until a checkpoint), served
    from a pool of `pool_mb`."""
    loading = LadybugStore(tmp_path / "db")
    loading.bulk_load((_asset(i) for i in range(FAN_OUT + 1)), (_run(i) for i in range(1, FAN_OUT + 1)))
    loading.close()
    settings = Settings(data_dir=tmp_path / "db", ladybug_memory_mb=pool_mb, sandbox_prewarm=False)
    store = open_store(settings)
    assert store.describe().endswith(f"memory bound {pool_mb} MiB")
    try:
        with TestClient(create_app(settings, store=store)) as c:
            yield c
    finally:
        store.close()


def test_an_answer_larger_than_the_engines_memory_is_a_503_and_the_server_goes_on(tmp_path: Path) -> None:
    with _serve(tmp_path, SMALL_POOL_MB) as client:
        refused = problem(client.get(f"{BASE}/a0/impact", params={"format": "csv"}), 503)
        assert "LINEAGE_LADYBUG_MEMORY_MB" in refused["detail"]
        for _ in range(5):  # the refused statement kept what it had taken, and every later query failed too
            leaf = client.get(f"{BASE}/a7/upstream", params={"format": "csv"})
            assert leaf.status_code == 200 and leaf.text.splitlines()[1].startswith("1,a0,"), leaf.text[:300]
        assert client.get(f"{BASE}/a0/impact", params={"depth": 1, "size": 1}).json()["total"] == FAN_OUT


def test_what_the_statements_kept_is_given_back_when_the_engine_runs_short(tmp_path: Path) -> None:
    with _serve(tmp_path, POOL_MB) as client:
        for depth in range(1, 11):  # each depth its own statements, each keeping its last run's working memory
            summary = client.get(f"{BASE}/a0/impact/summary", params={"depth": depth})
            page = client.get(f"{BASE}/a0/impact", params={"depth": depth, "page": 50})
            assert summary.status_code == page.status_code == 200, (depth, summary.text[:200], page.text[:200])
            assert summary.json()["total"] == page.json()["total"] == FAN_OUT
        export = client.get(f"{BASE}/a0/impact", params={"format": "csv"})
        assert export.status_code == 200 and len(export.text.splitlines()) == FAN_OUT + 1, export.text[:300]


def test_an_answer_read_leaves_its_memory_to_the_next_query(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "db")
    process = psutil.Process()
    try:
        store.bulk_load((_asset(i) for i in range(FAN_OUT + 1)), (_run(i) for i in range(1, FAN_OUT + 1)))

        def export(depth: int) -> int:
            traversal = Traversal.build(depth, False, None, None)
            return sum(len(rows) for rows in blast_radius.export(store, SCOPE, "a0", "downstream", traversal, []))

        assert export(1) == FAN_OUT
        before = process.memory_info().rss
        for depth in range(2, 12):  # each depth its own statement, which kept its answer's memory: about 19 MB here
            assert export(depth) == FAN_OUT
        grown_mb = (process.memory_info().rss - before) / 2**20
    finally:
        store.close()
    assert grown_mb < 60, f"the process grew by {grown_mb:.0f} MB over 10 exports of {FAN_OUT} rows"


def test_the_bound_is_the_setting_else_half_a_containers_limit(tmp_path: Path) -> None:
    v2, v1 = tmp_path / "memory.max", tmp_path / "memory.limit_in_bytes"
    v2.write_text("max\n")
    v1.write_text("9223372036854771712\n")  # cgroup v1 without a limit
    assert engine_memory_bytes(512, [v2, v1]) == 512 << 20
    assert engine_memory_bytes(0, [v2, v1]) == 0  # no limit anywhere: the engine's own default
    assert engine_memory_bytes(0, [tmp_path / "absent"]) == 0
    v2.write_text("2147483648\n")
    assert engine_memory_bytes(0, [v2, v1]) == 1 << 30
    v2.write_text("100000000\n")  # a very small container still gets what a load needs
    assert engine_memory_bytes(0, [v2]) == MIN_ENGINE_MEMORY_BYTES
