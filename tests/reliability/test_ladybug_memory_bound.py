"""LadybugDB out of memory: the engine holds a query's whole answer, and its search, in its buffer pool before the
first row is read (docs/measurements.md: Where an export's memory goes). An answer larger than the pool is a 503
the caller can read, not a 500. The pool here is made small (the engine's default is 80% of the machine's memory)."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from app.asgi import create_app
from app.domain.keys import asset_key, execution_key, flow_key, task_slot_key
from app.settings import Settings
from app.store.base import BulkAsset, BulkRun
from app.store.ladybug import LadybugStore
from tests.api.test_assets_api import problem

TENANT = "acme"
#: one asset read by this many task runs, each writing an asset of its own: the export of the first holds them all
FAN_OUT = 20_000
#: enough to load this store, not to hold the hub's export (measured: 64 MiB holds it)
POOL_MB = 48


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


def test_an_answer_larger_than_the_engines_memory_is_a_503(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "db", buffer_pool_bytes=POOL_MB << 20)
    try:
        store.bulk_load((_asset(i) for i in range(FAN_OUT + 1)), (_run(i) for i in range(1, FAN_OUT + 1)))
        with TestClient(create_app(Settings(data_dir=tmp_path / "unused", sandbox_prewarm=False), store=store)) as c:
            refused = problem(c.get(f"/api/v1/{TENANT}/assets/a0/impact", params={"format": "csv"}), 503)
            assert refused["detail"] == "the answer needs more memory than the embedded database has; ask for less"
    finally:
        store.close()
