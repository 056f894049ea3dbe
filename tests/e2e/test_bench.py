"""`lineage bench` as a user runs it, small: both backends in one run on one graph, every sampled answer equal to
the CSR baseline's, one table with a column per backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.neo4j_server import Neo4jServer

ROOT = Path(__file__).resolve().parents[2]


def test_bench_runs_both_backends_side_by_side(tmp_path: Path, neo4j_server: Neo4jServer) -> None:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINEAGE_", "NEO4J_"))}
    done = subprocess.run(
        [
            sys.executable, "-m", "app.cli", "bench", "--assets", "2000", "--executions", "40",
            "--warmup", "10", "--hub-requests", "3", "--typical-requests", "5", "--backend", "both", "--verify",
            "--neo4j-uri", neo4j_server.uri, "--json", str(out), "--events", "300", "--mixed", "3",
            "--trickle", "3",
        ],
        # the bench waits for LadybugDB's checkpoint after each write phase; this small one's WAL waits for quiet
        cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "LINEAGE_CHECKPOINT_QUIET_S": "2"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(out.read_text())
    assert list(results["backends"]) == ["ladybug", "neo4j"]
    hub = results["assets"]["hub"]["reached"]
    for name, run in results["backends"].items():
        assert run["verify"]["ok"] and run["verify"]["answers_checked"] == 84, (name, run["verify"])
        assert run["store_count_first_page"]["reached"] == hub == results["baselines"]["hub_reached"]["csr"]
        assert run["record_executions"]["errors"] == 0 and run["impact_http"]["hub"]["n"] == 3
        assert run["record_executions"]["clients_cpu_ms_per_execution"] > 0  # what the load itself cost
        ingest, mixed = run["openlineage_ingest"], run["mixed"]
        assert ingest["events"] == 300 and ingest["batch_events_per_s"] > 0 and ingest["column_impact"]["n"] == 5
        assert mixed["error_count"] == 0 and mixed["write"]["n"] > 0 and mixed["read"]["n"] > 0
        trickle = run["trickle"]  # one recording every 3 s, each answered
        assert trickle["requests"] == 3 and trickle["errors"] == 0 and trickle["max_ms"] >= trickle["p50_ms"] > 0
        if name == "ladybug":  # the pause after the writers is checkpointed (and folds, once enough edges wait)
            assert mixed["settled"]["checkpoint_s"] is not None and "writes paused" in mixed["settled"]["why"], mixed
    neo4j = results["backends"]["neo4j"]
    assert neo4j["neo4j"]["peak_rss_mb"] > 100  # found the server by its port
    assert neo4j["record_executions"]["neo4j_cpu_ms_per_execution"] > 0  # and its CPU
    assert [r["writes"]["api_workers"] for r in results["backends"].values()] == [1, 1]
    assert "┃ measure" in done.stderr and "ladybug" in done.stderr and "neo4j" in done.stderr
