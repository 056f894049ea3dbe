"""A batch's rows are stored exactly as sent, whatever form the backend takes them in: on LadybugDB a small batch
goes one list per field (`:columns`, app/store/columnar.py) or, when a field cannot, as a list of maps, and a large
one is scanned as a table (`:scan`). Rows with nulls in some fields or all, empty and non-empty lists, large numbers,
booleans and text beyond ASCII, in batches of each size, read back field for field on both backends."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.services import binding
from app.store.base import GraphStore
from app.store.model import ASSET_PROPERTIES
from tests.conftest import BACKENDS, SCANNING


@pytest.fixture(params=[*BACKENDS, SCANNING])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


#: The test Neo4j is shared by the session's tests: each run writes into a tenant of its own.
TENANT = f"t{uuid.uuid4().hex[:8]}"


def _asset(n: int, **changes: Any) -> dict[str, Any]:
    row = {
        "key": f"{TENANT}/batch.{n}",
        "tenantId": TENANT,
        "id": f"batch.{n}",
        "namespace": "team.ß",
        "type": "io.kestra.plugin.ee.assets.Table",
        "displayName": f"Tableau № {n}",
        "description": None,
        "metadata": '{"owner": "éq"}',
        "metaPairs": ["owner=éq"],
        "fingerprint": f"{n:064x}",
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        "deleted": n % 2 == 0,
        "createdBy": None if n % 3 else f"exec-{n}",
        "version": 2**40 + n,
    }
    return row | changes


BATCHES = {
    "one row": [_asset(0)],
    "nulls in some rows, a field null in all": [_asset(1, displayName=None), _asset(2), _asset(3, metaPairs=None)],
    "empty and full lists": [_asset(4, metaPairs=[]), _asset(5, metaPairs=["a=1", "b=2"])],
    "only empty lists (sent as maps)": [_asset(6, metaPairs=[]), _asset(7, metaPairs=[])],
    "a large batch": [_asset(100 + n, metaPairs=[] if n % 5 else ["k=v"]) for n in range(200)],
}


@pytest.mark.parametrize("batch", BATCHES, ids=list(BATCHES))
def test_created_assets_read_back_as_sent(store: GraphStore, batch: str) -> None:
    rows = BATCHES[batch]
    store.write(lambda tx: tx.run("assets_create", rows=rows))
    keys = [r["key"] for r in rows]
    got = {
        r["a"]["key"]: r["a"]
        for r in store.read(lambda tx: tx.run("assets_by_key", keys=keys, **binding.unrestricted()))
    }
    for row in rows:
        stored = {f: got[row["key"]].get(f) for f in ASSET_PROPERTIES}
        assert stored == {f: row[f] for f in ASSET_PROPERTIES}, row["key"]


def _execution(tenant: str, n: int) -> dict[str, Any]:
    return {
        "key": f"{tenant}/run-{n}",
        "tenantId": tenant,
        "id": f"run-{n}",
        "namespace": "team.ß",
        "flowId": f"flow-{n % 3}",
        "flowRevision": None if n % 2 else n,
        "state": "SUCCESS",
        "startDate": "2026-01-01T00:00:00Z",
        "endDate": None if n % 3 == 0 else "2026-01-01T00:01:00Z",
        "recorded": "2026-01-01T00:01:00Z",
        "fingerprint": f"{n:064x}",
        "document": '{"taskRuns": ["ü"]}',
    }


@pytest.mark.parametrize("size", [1, 5, 200])
def test_stored_executions_read_back_as_sent(store: GraphStore, size: int) -> None:
    tenant = f"t{uuid.uuid4().hex[:8]}"
    rows = [_execution(tenant, n) for n in range(size)]
    store.write(lambda tx: tx.run("executions_store", rows=rows))
    for row in rows:
        got = store.read(lambda tx, key=row["key"]: tx.run("execution_get", key=key))[0]["e"]
        assert {f: got.get(f) for f in row} == row
