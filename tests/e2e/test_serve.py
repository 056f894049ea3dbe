"""`lineage serve` as a user runs it: a real process on a real port, on the embedded default and on Neo4j."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import psutil
import pytest

from app.store.ladybug import LadybugStore
from tests.conftest import neo4j_flags, open_backend
from tests.e2e.server import Server, free_port
from tests.neo4j_server import Neo4jServer

#: one request's wait: a write or an answer on a busy 2-core machine (a server plans its queries before it is ready)
REQUEST_TIMEOUT = 30.0


def test_serve_logs_backend_and_keeps_data_across_restart(tmp_path: Path, backend: str, serve_flags: list[str]) -> None:
    data = tmp_path / "data"
    asset = {
        "type": "io.kestra.plugin.ee.assets.Table",
        "namespace": "company.team",
        "displayName": "Trips",
        "description": "All trips",
        "metadata": {"database": "sqlite"},
    }
    with Server(data, *serve_flags) as server:
        put = httpx.put(f"{server.url}/api/v1/main/assets/trips", json=asset, timeout=REQUEST_TIMEOUT)
        assert put.status_code == 201
        created = put.json()
        assert httpx.get(f"{server.url}/ready", timeout=REQUEST_TIMEOUT).json() == {"status": "UP", "backend": backend}
    if backend == "ladybug":
        assert "storage backend: LadybugDB" in server.output() and str(data) in server.output()
    else:
        assert f"storage backend: Neo4j at {serve_flags[1]}" in server.output()
    with Server(data, *serve_flags) as server:
        assert httpx.get(f"{server.url}/api/v1/main/assets/trips", timeout=REQUEST_TIMEOUT).json() == created


def test_two_concurrent_puts_of_a_new_id_leave_one_asset(tmp_path: Path, serve_flags: list[str]) -> None:
    with Server(tmp_path / "data", *serve_flags) as server:
        statuses: list[int] = []
        barrier = threading.Barrier(2)

        def put(i: int) -> None:
            barrier.wait()
            r = httpx.put(
                f"{server.url}/api/v1/main/assets/contested",
                json={"type": "x", "metadata": {"i": i}},
                timeout=REQUEST_TIMEOUT,
            )
            statuses.append(r.status_code)

        threads = [threading.Thread(target=put, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200, 201]
        listing = httpx.get(f"{server.url}/api/v1/main/assets", timeout=REQUEST_TIMEOUT).json()
        assert listing["total"] == 1


def test_a_newer_schema_is_refused_with_a_clear_message(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str, serve_flags: list[str]
) -> None:
    data = tmp_path / "data"
    store = open_backend(request, backend, data)
    store.write(lambda tx: tx.run("schema_version_set", key="schema", version=99, now="x"))
    store.close()
    server = Server(data, *serve_flags)
    with pytest.raises(RuntimeError, match="exited with 4") as refused:
        server.start(timeout=30)
    assert "schema v99" in str(refused.value) and "newer than this service" in str(refused.value)
    assert "Traceback" not in str(refused.value)


def test_an_unreachable_neo4j_is_one_line_and_exit_4(tmp_path: Path) -> None:
    server = Server(tmp_path / "data", "--neo4j-uri", f"bolt://127.0.0.1:{free_port()}")
    with pytest.raises(RuntimeError, match="exited with 4") as refused:
        server.start(timeout=60)
    assert "lineage: Neo4j is unreachable" in str(refused.value) and "Traceback" not in str(refused.value)


def test_a_second_server_on_the_same_directory_says_why_it_cannot_start(tmp_path: Path) -> None:
    """LadybugDB only: one process owns the file (Neo4j serves any number of stateless API processes)."""
    with Server(tmp_path / "data") as server:
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "serve",
                "--port",
                str(free_port()),
                "--data-dir",
                str(tmp_path / "data"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 4
        assert "lineage: cannot open LadybugDB file" in second.stderr and "Traceback" not in second.stderr
        assert "not closed cleanly" not in second.stderr  # the first server's live WAL is not a crash
        assert (
            httpx.get(f"{server.url}/ready", timeout=REQUEST_TIMEOUT).status_code == 200
        )  # and the first one is unharmed


def test_a_stopped_server_leaves_its_store_closed(tmp_path: Path) -> None:
    """LadybugDB only: SIGTERM (systemd, Kubernetes, `docker stop`) is a clean stop. The new lineage edges are folded
    into the large tables and the write-ahead log checkpointed away, so the next start replays nothing."""
    data = tmp_path / "data"
    run = {
        "id": "e1",
        "namespace": "company.team",
        "flowId": "f",
        "taskRuns": [{"taskId": "t", "assets": {"inputs": [{"id": "a"}], "outputs": [{"id": "b"}]}}],
    }
    server = Server(data).start()
    recorded = httpx.post(f"{server.url}/api/v1/main/executions", json=run, timeout=REQUEST_TIMEOUT)
    assert recorded.status_code == 201, recorded.text
    assert server.stop(signal.SIGTERM) == 0
    assert "Traceback" not in server.output()
    assert not (data / "lineage.lbdb.wal").exists()
    store = LadybugStore(data, checkpoint_idle_s=0)
    try:
        assert store.recent_edges() == 0
        counts = {r["what"]: r["n"] for r in store.read(lambda tx: tx.run("tenant_stats", tenantId="main"))}
        assert (counts["executions"], counts["reads"]) == (1, 1)
    finally:
        store.close()


def test_two_servers_on_one_neo4j_share_everything(tmp_path: Path, fresh_neo4j: Neo4jServer) -> None:
    """The scale-out claim: API processes hold no state, so replicas behind a load balancer agree."""
    flags = neo4j_flags(fresh_neo4j)
    with Server(tmp_path / "a", *flags) as one, Server(tmp_path / "b", *flags) as two:
        run = {
            "id": "e1",
            "namespace": "company.team",
            "flowId": "f",
            "taskRuns": [{"taskId": "t", "assets": {"inputs": [{"id": "src"}], "outputs": [{"id": "dst"}]}}],
        }
        assert httpx.post(f"{one.url}/api/v1/main/executions", json=run, timeout=REQUEST_TIMEOUT).status_code == 201
        assert (
            httpx.post(f"{two.url}/api/v1/main/executions", json=run, timeout=REQUEST_TIMEOUT).status_code == 200
        )  # a replay, not a copy
        impact = httpx.get(f"{two.url}/api/v1/main/assets/src/impact", timeout=REQUEST_TIMEOUT).json()
        assert [(r["id"], r["distance"]) for r in impact["results"]] == [("dst", 1)]
        assert httpx.get(f"{one.url}/api/v1/main/stats", timeout=REQUEST_TIMEOUT).json()["executions"] == 1


def test_workers_serve_one_port_on_neo4j(tmp_path: Path, fresh_neo4j: Neo4jServer) -> None:
    """`--workers 2`: two API processes on one port (each with its own driver and group commit), as replicas are;
    recordings sent at once through both are each stored once, and a stop ends every process."""
    server = Server(tmp_path / "data", *neo4j_flags(fresh_neo4j), "--workers", "2").start()
    try:
        workers = [p for p in psutil.Process(server.proc.pid).children() if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2
        statuses: list[int] = []

        def record(n: int) -> None:
            with httpx.Client(base_url=f"{server.url}/api/v1/main", timeout=REQUEST_TIMEOUT) as client:
                for i in range(10):
                    run = {
                        "id": f"e{i % 5}-{n % 2}",  # each execution sent by two clients: one records, one replays
                        "namespace": "company.team",
                        "flowId": "f",
                        "taskRuns": [{"taskId": f"t{i % 5}", "assets": {"outputs": [{"id": f"out{i % 5}-{n % 2}"}]}}],
                    }
                    statuses.append(client.post("/executions", json=run, headers={"connection": "close"}).status_code)

        threads = [threading.Thread(target=record, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(set(statuses)) == [200, 201] and statuses.count(201) == 10
        stats = httpx.get(f"{server.url}/api/v1/main/stats", timeout=REQUEST_TIMEOUT).json()
        assert stats["executions"] == 10
    finally:
        assert server.stop() == 0
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)


def test_workers_end_with_their_parent(tmp_path: Path, fresh_neo4j: Neo4jServer) -> None:
    """`kill -9` of `lineage serve --workers 2` (the OOM killer, a careless script): its workers do not go on
    serving the port with nobody to stop them."""
    server = Server(tmp_path / "data", *neo4j_flags(fresh_neo4j), "--workers", "2").start()
    workers = psutil.Process(server.proc.pid).children()
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    _, alive = psutil.wait_procs(workers, timeout=REQUEST_TIMEOUT)
    assert not alive, [w.cmdline() for w in alive]
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server.url}/health", timeout=2)


def test_workers_refuse_what_a_worker_would_refuse(tmp_path: Path, fresh_neo4j: Neo4jServer) -> None:
    """A setting every worker would refuse stops `lineage serve` once, not a worker started again and again."""
    server = Server(tmp_path / "data", *neo4j_flags(fresh_neo4j), "--workers", "2", "--require-auth")
    with pytest.raises(RuntimeError, match="exited with") as refused:
        server.start(timeout=60)
    assert "--require-auth is set but no auth file" in str(refused.value)
    assert "Started parent process" not in str(refused.value)


def test_workers_need_neo4j(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--data-dir", str(tmp_path / "data"), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--workers above 1 needs Neo4j" in done.stderr
    assert not (tmp_path / "data").exists()  # refused before the file was created
