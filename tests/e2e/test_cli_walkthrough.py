"""The README's CLI walk-through runs as written: the block is extracted from README.md and run by bash with
`set -euo pipefail`, so a command that fails, or a walk-through that drifts from the CLI, fails this test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.server import Server

ROOT = Path(__file__).resolve().parents[2]


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- cli-walkthrough -->\n```bash\n(.*?)\n```", readme, re.S)
    assert match, "README.md has no <!-- cli-walkthrough --> bash block"
    return match.group(1)


def test_readme_walkthrough_runs_as_written(tmp_path: Path, backend: str, serve_flags: list[str]) -> None:
    """On LadybugDB as written (local mode, ./data); on Neo4j every command goes to a `lineage serve
    --neo4j-uri ...` through LINEAGE_SERVER, as a team sharing one Neo4j-backed service would run it."""
    if backend == "neo4j":
        with Server(tmp_path / "unused", *serve_flags) as server:
            check_walkthrough(tmp_path, {"LINEAGE_SERVER": server.url})
        assert not (tmp_path / "data").exists()  # nothing went to a local store
    else:
        check_walkthrough(tmp_path, {})
        assert (tmp_path / "data" / "lineage.lbdb").exists()


def check_walkthrough(tmp_path: Path, extra_env: dict[str, str]) -> None:
    # The reader runs it from the repository root with `lineage` on PATH: here a copy of the root's `tests/`
    # (the flows) beside a fresh ./data, and a `lineage` that is this interpreter's.
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "lineage"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m app.cli "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINEAGE_", "NEO4J_"))}
    env |= {"PATH": f"{bin_dir}:{env['PATH']}", "PYTHONPATH": str(ROOT), "COLUMNS": "200", **extra_env}
    script = tmp_path / "walkthrough.sh"
    script.write_text(walkthrough())
    done = subprocess.run(
        ["bash", "-euo", "pipefail", str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    out, err = done.stdout, done.stderr

    # What the README says each step shows.
    assert "2 asset(s) downstream of trips" in out
    assert "data_pipeline_assets.create_mart_layer_asset[passenger_count]" in out
    assert "kestra-finance-bucket" in out and "raw_customer" in out
    assert "exit code 1" in out and "asset 'no-such-asset' does not exist" in err
    dot = (tmp_path / "impact.dot").read_text()
    assert dot.startswith("digraph lineage") and "avg_trip_distance" in dot and "-> n" in dot
    exported = [json.loads(line) for line in (tmp_path / "assets.jsonl").read_text().splitlines()]
    ids = {a["id"] for a in exported}
    assert {"trips", "avg_passenger_count", "kestra-data-bucket", "raw_customer"} <= ids
    assert "orders" not in ids  # soft-deleted, and export leaves deleted assets out unless --deleted
    assert f"imported {len(exported)} of {len(exported)} assets into staging" in err
    assert "applied 6 of 6 OpenLineage events in main" in err
    assert "4 column(s) downstream of postgres://localhost:5432/dbt_test.main.raw_orders.amount" in out
    assert '"column": "completed_amount"' in out  # total_revenue comes from stg_orders.completed_amount
