"""`lineage outbox status|forget` as an operator uses them after removing a sink: a server forwarded to a receiver
that is gone, the flag is removed, and the sink's cursor, which kept the outbox from being pruned, is forgotten.
Both backends, the real `lineage serve` and the real command line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.e2e.server import Server, free_port
from tests.e2e.test_cli import lineage

EXECUTION = {
    "id": "run-1",
    "namespace": "sales",
    "flowId": "daily",
    "state": "SUCCESS",
    "taskRuns": [{"taskId": "load", "assets": {"inputs": [{"id": "raw.orders"}], "outputs": [{"id": "mart.revenue"}]}}],
}


def _until_failed(server: Server) -> dict[str, object]:
    """The forward sink once it has tried and failed (it delivers in the background)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sinks = httpx.get(f"{server.url}/api/v1/main/outbox", timeout=30).json()["sinks"]
        if sinks and sinks[0]["lastError"]:
            return sinks[0]  # type: ignore[no-any-return]
        time.sleep(0.1)  # polling a background thread's first attempt
    raise AssertionError(f"the sink never failed: {server.output()[-2000:]}")


def test_an_operator_forgets_a_removed_sink(tmp_path: Path, serve_flags: list[str], backend: str) -> None:
    data = tmp_path / "data"
    store = serve_flags or ["--data-dir", str(data)]
    gone = f"http://127.0.0.1:{free_port()}/api/v1/lineage"  # a receiver that is no longer there
    with Server(data, *serve_flags, "--forward-url", gone) as server:
        assert httpx.post(f"{server.url}/api/v1/main/executions", json=EXECUTION, timeout=30).status_code == 201
        failing = _until_failed(server)
        assert failing["name"] == "forward" and failing["backlog"] == 2
        if backend == "ladybug":  # the file has one owner: the command says so instead of waiting or failing later
            held = lineage("outbox", "status", *store, cwd=tmp_path)
            assert held.returncode == 4 and "no server holds it" in held.stderr, held.stderr
    # the server stopped (the --forward-url flag removed): the cursor stays, and with it the outbox
    status = lineage("outbox", "status", "--json", *store, cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    [sink] = json.loads(status.stdout)
    assert (sink["name"], sink["backlog"], sink["delivered"]) == ("forward", 2, 0)
    assert "could not reach" in sink["lastError"] and gone not in sink["lastError"]  # what failed, not where
    text = lineage("outbox", "status", *store, cwd=tmp_path)
    assert "forward: 0 delivered, backlog 2" in text.stdout

    forgot = lineage("outbox", "forget", "forward", *store, cwd=tmp_path)
    assert forgot.returncode == 0 and "forgot sink forward" in forgot.stdout, forgot.stderr
    assert "keeps 0 events" in forgot.stdout
    assert json.loads(lineage("outbox", "status", "--json", *store, cwd=tmp_path).stdout) == []
    again = lineage("outbox", "forget", "forward", *store, cwd=tmp_path)
    assert again.returncode == 1 and "no sink 'forward'" in again.stderr
