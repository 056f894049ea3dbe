"""`lineage serve` as a user runs it: a real process on a real port, on the embedded default."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from tests.e2e.server import Server


def test_serve_logs_backend_and_keeps_data_across_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    asset = {
        "type": "io.kestra.plugin.ee.assets.Table",
        "namespace": "company.team",
        "displayName": "Trips",
        "description": "All trips",
        "metadata": {"database": "sqlite"},
    }
    with Server(data) as server:
        put = httpx.put(f"{server.url}/api/v1/main/assets/trips", json=asset)
        assert put.status_code == 201
        created = put.json()
        assert httpx.get(f"{server.url}/ready").json() == {"status": "UP", "backend": "ladybug"}
    assert "LadybugDB" in server.output() and str(data) in server.output()
    with Server(data) as server:
        assert httpx.get(f"{server.url}/api/v1/main/assets/trips").json() == created


def test_two_concurrent_puts_of_a_new_id_leave_one_asset(tmp_path: Path) -> None:
    with Server(tmp_path / "data") as server:
        statuses: list[int] = []
        barrier = threading.Barrier(2)

        def put(i: int) -> None:
            barrier.wait()
            r = httpx.put(f"{server.url}/api/v1/main/assets/contested", json={"type": "x", "metadata": {"i": i}})
            statuses.append(r.status_code)

        threads = [threading.Thread(target=put, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200, 201]
        listing = httpx.get(f"{server.url}/api/v1/main/assets").json()
        assert listing["total"] == 1


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    from app.store.ladybug import LadybugStore

    data = tmp_path / "data"
    store = LadybugStore(data)
    store.write(lambda tx: tx.run("schema_version_set", key="schema", version=99, now="x"))
    store.close()
    server = Server(data)
    try:
        server.start(timeout=15)
        raise AssertionError("the server started on a database from the future")
    except RuntimeError as exc:
        assert "schema v99" in str(exc) and "newer than this service" in str(exc)


def test_a_second_server_on_the_same_directory_says_why_it_cannot_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.e2e.server import free_port

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
        assert httpx.get(f"{server.url}/ready").status_code == 200  # and the first one is unharmed
