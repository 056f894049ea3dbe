"""A LadybugDB statement that scans a batch's rows as an Arrow table (`LOAD FROM $rows`) leaves nothing behind.
ladybug 0.22 kept every such statement prepared, its table with it, for the connection's life: found on 2026-12-06,
a long OpenLineage import grew the server without bound (docs/measurements.md: Passing a batch's rows)."""

from __future__ import annotations

from pathlib import Path

import psutil

from app.store.ladybug import LadybugStore

ROWS = 4000
RUNS = 150


def test_scanned_batches_do_not_accumulate_in_the_connection(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "db")
    # no execution matches: the statement scans its rows and writes nothing (each row about 300 bytes)
    rows = [
        {"executionKey": f"missing-{i}", "taskId": "t" * 100, "value": "", "assetKey": f"{i:0>200}"}
        for i in range(ROWS)
    ]
    process = psutil.Process()
    try:
        store.write(lambda tx: tx.run("demote_taken_writes", rows=rows))  # the pool's connection warmed up
        before = process.memory_info().rss
        for _ in range(RUNS):
            store.write(lambda tx: tx.run("demote_taken_writes", rows=rows))
        grown_mb = (process.memory_info().rss - before) / 2**20
    finally:
        store.close()
    # kept, the tables alone would be RUNS x ROWS x 300 bytes, about 170 MB
    assert grown_mb < 60, f"the process grew by {grown_mb:.0f} MB over {RUNS} scans of {ROWS} rows"
