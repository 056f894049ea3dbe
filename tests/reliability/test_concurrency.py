"""8 clients record overlapping executions against a running server: afterwards no node or relationship is
duplicated and every acknowledged execution is there. 5 s in CI; `--long` runs the full 30 s."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import Server

#: one request's wait: a write or an answer on a busy 2-core machine (a server plans its queries before it is ready)
REQUEST_TIMEOUT = 30.0

CLIENTS = 8
POOL = 40  # few assets, so executions overlap on them all the time


def body(rng: random.Random, execution_id: str) -> dict:
    a, b, c = rng.sample(range(POOL), 3)
    return {
        "id": execution_id,
        "namespace": "company.team",
        "flowId": f"flow{a % 5}",
        "taskRuns": [
            {
                "taskId": f"t{b % 7}",
                "value": str(c % 3),
                "assets": {
                    "inputs": [{"id": f"asset{a}"}, {"id": f"asset{b}"}],
                    "outputs": [
                        {"id": f"asset{c}", "type": "io.kestra.plugin.ee.assets.Table", "metadata": {f"k{a}": b}}
                    ],
                },
            }
        ],
    }


def test_concurrent_overlapping_executions(
    tmp_path: Path, request: pytest.FixtureRequest, serve_flags: list[str]
) -> None:
    duration = 30.0 if request.config.getoption("--long") else 5.0
    acknowledged: dict[str, dict] = {}
    errors: list[str] = []
    lock = threading.Lock()
    with Server(tmp_path / "data", *serve_flags) as server:
        base = f"{server.url}/api/v1/main"
        stop = time.monotonic() + duration

        def client(n: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                i = 0
                while time.monotonic() < stop:
                    # one id in four is shared by two clients: the same execution posted concurrently
                    execution_id = f"shared-{i // 4}-{n % 2}" if i % 4 == 0 else f"c{n}-{i}"
                    payload = body(random.Random(execution_id), execution_id)
                    r = http.post("/executions", json=payload)
                    with lock:
                        if r.status_code in (200, 201):
                            acknowledged[execution_id] = payload
                        else:
                            errors.append(f"{r.status_code} {r.text[:200]}")
                    i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:5]
        with httpx.Client(base_url=base, timeout=30) as http:
            missing = [e for e in acknowledged if http.get(f"/executions/{e}").status_code != 200]
            stats = http.get("/stats").json()
    print(f"\nconcurrency: {len(acknowledged)} executions acknowledged by {CLIENTS} clients in {duration:.0f} s")
    assert not missing, f"{len(missing)} acknowledged executions are missing"
    assert len(acknowledged) > 50
    assert stats["executions"] == len(acknowledged)
    assert stats["duplicateEdges"] == 0
    assert stats["assets"] <= POOL
    assert stats["reads"] == sum(
        len({i["id"] for i in p["taskRuns"][0]["assets"]["inputs"]}) for p in acknowledged.values()
    )
    assert stats["writes"] == len(acknowledged)


def test_concurrent_lock_requests_have_one_winner(tmp_path: Path, serve_flags: list[str]) -> None:
    """8 executions ask for the same asset's lock at once, over and over: each round exactly one holds it, and the
    others get a 409 naming it."""
    with Server(tmp_path / "data", *serve_flags) as server:
        base = f"{server.url}/api/v1/main"
        for rnd in range(5):
            asset = f"contended{rnd}"
            assert httpx.put(f"{base}/assets/{asset}", json={"type": "VM"}, timeout=REQUEST_TIMEOUT).status_code == 201
            barrier, results = threading.Barrier(CLIENTS), [0] * CLIENTS

            def ask(n: int, asset: str = asset, barrier: threading.Barrier = barrier, results: list = results) -> None:
                with httpx.Client(base_url=base, timeout=30) as http:
                    barrier.wait()
                    results[n] = http.post(f"/assets/{asset}/lock", json={"executionId": f"e{n}"}).status_code

            threads = [threading.Thread(target=ask, args=(n,)) for n in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(results) == [200] + [409] * (CLIENTS - 1), results
            holder = httpx.get(f"{base}/assets/{asset}", timeout=REQUEST_TIMEOUT).json()["lock"]["executionId"]
            assert holder == f"e{results.index(200)}"
