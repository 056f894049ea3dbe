"""kill -9 the server in the middle of a stream of acknowledged writes; restart it on the same store: it opens
cleanly and every acknowledged execution is there. On LadybugDB the process owns the database file, so this
is the database's crash recovery; on Neo4j it checks that nothing is acknowledged before Neo4j committed it."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import Server


def test_kill_9_loses_nothing_acknowledged(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str, serve_flags: list[str]
) -> None:
    rounds = 5 if request.config.getoption("--long") else 2
    data = tmp_path / "data"
    acknowledged: list[str] = []
    for round_ in range(rounds):
        server = Server(data, *serve_flags).start()
        base = f"{server.url}/api/v1/main"
        stop = threading.Event()

        def writer(base: str, stop: threading.Event, round_: int, w: int) -> None:
            with httpx.Client(base_url=base, timeout=10) as http:
                i = 0
                while not stop.is_set():
                    eid = f"r{round_}-w{w}-{i}"
                    try:
                        r = http.post(
                            "/executions",
                            json={
                                "id": eid,
                                "namespace": "company.team",
                                "flowId": "crash",
                                "taskRuns": [
                                    {
                                        "taskId": f"t{w}",
                                        "value": str(i),
                                        "assets": {
                                            "inputs": [{"id": f"in{i % 10}"}],
                                            "outputs": [{"id": f"out{w}-{i}"}],
                                        },
                                    }
                                ],
                            },
                        )
                    except httpx.HTTPError:
                        return  # the server died under us: this write was not acknowledged
                    if r.status_code == 201:
                        acknowledged.append(eid)
                    i += 1

        # eight writers at once: their recordings are group-committed, several to a transaction
        threads = [threading.Thread(target=writer, args=(base, stop, round_, w)) for w in range(8)]
        for thread in threads:
            thread.start()
        target = len(acknowledged) + 40
        while len(acknowledged) < target and any(t.is_alive() for t in threads):
            time.sleep(0.01)  # until the stream is under way: the kill lands among acknowledged writes
        assert server.proc is not None
        server.stop(signal.SIGKILL)  # mid-stream, no shutdown hook runs
        stop.set()
        for thread in threads:
            thread.join()
    # the store must open cleanly after the last kill
    with Server(data, *serve_flags) as server, httpx.Client(base_url=f"{server.url}/api/v1/main", timeout=30) as http:
        missing = [e for e in acknowledged if http.get(f"/executions/{e}").status_code != 200]
        stats = http.get("/stats").json()
    print(f"\ncrash safety: {len(acknowledged)} executions acknowledged across {rounds} kill -9, {len(missing)} lost")
    assert len(acknowledged) > 20
    assert not missing
    assert stats["duplicateEdges"] == 0 and stats["executions"] >= len(acknowledged)
    if backend == "ladybug":
        # the kills really left a write-ahead log to replay (a torn tail is discarded, committed work is not)
        assert "was not closed cleanly; replayed" in server.output()


def test_kill_9_during_mixed_load_across_checkpoints_loses_nothing(
    tmp_path: Path, backend: str, serve_flags: list[str]
) -> None:
    """Two writers and two readers at once (the load of `lineage bench --mixed`); on LadybugDB the kill lands after
    the server has checkpointed during the stream, so recovery replays a WAL that begins after a checkpoint, not
    only one that began with the file."""
    data = tmp_path / "data"
    acknowledged: list[str] = []
    reads: list[int] = []
    server = Server(data, *serve_flags).start()
    base = f"{server.url}/api/v1/main"
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            i = 0
            while not stop.is_set():
                eid = f"w{n}-{i}"
                body = {
                    "id": eid,
                    "namespace": "company.team",
                    "flowId": f"mixed{n}",
                    "taskRuns": [
                        {
                            "taskId": f"t{i % 7}",
                            "assets": {
                                "inputs": [{"id": f"in{i % 10}"}, {"id": f"in{(i + 3) % 10}"}],
                                "outputs": [{"id": f"w{n}-out{i % 50}"}],
                            },
                        }
                    ],
                }
                try:
                    r = http.post("/executions", json=body)
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    acknowledged.append(eid)
                i += 1

    def reader() -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            while not stop.is_set():
                try:
                    reads.append(http.get("/assets/in1/impact").status_code)
                except httpx.HTTPError:
                    return

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()

    def checkpointed() -> bool:  # under a busy machine the stream may pause: a checkpoint for a pause counts too
        return backend != "ladybug" or "checkpoint done" in server.output()

    deadline = time.monotonic() + 120
    while (len(acknowledged) < 100 or not checkpointed()) and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the stream to pass a checkpoint, not waiting for time to pass
    assert checkpointed(), "no checkpoint during the stream"
    server.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()
    with Server(data, *serve_flags) as again, httpx.Client(base_url=f"{again.url}/api/v1/main", timeout=30) as http:
        missing = [e for e in acknowledged if http.get(f"/executions/{e}").status_code != 200]
        stats = http.get("/stats").json()
    assert len(acknowledged) >= 100 and reads, (len(acknowledged), len(reads))
    assert set(reads) <= {200, 404}, sorted(set(reads))
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged executions lost"
    assert stats["duplicateEdges"] == 0
