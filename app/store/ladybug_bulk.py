"""LadybugDB's bulk path: write CSV files, then `COPY ... FROM` them (cypher/ladybug/bulk_*.cypher)."""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from app.store.base import BulkAsset, BulkRun, Row
from app.store.bulk import EDGE_COLUMNS, RunRows, asset_rows
from app.store.queries import QuerySet

Execute = Callable[[str, dict[str, Any]], list[Row]]


#: the columns of a bulk TaskSlot file, in the order cypher/ladybug/bulk_task_slots.cypher reads them
SLOT_COLUMNS = (
    "key",
    "tenantId",
    "flowKey",
    "namespace",
    "flowId",
    "taskId",
    "value",
    "executionKey",
    "date",
    "slotKey",
    "assetKey",
)


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for row in rows:
            w.writerow([row[c] for c in columns])
            n += 1
    return n


def copy_from(
    execute: Execute,
    queries: QuerySet,
    assets: Iterable[BulkAsset],
    runs: Iterable[BulkRun],
    progress: Callable[[str, int], None] | None = None,
) -> None:
    work = Path(tempfile.mkdtemp(prefix="lineage-bulk-"))
    try:

        def copy(name: str, path: Path, count: int, label: str) -> None:
            text, params = queries[name].bind({"path": str(path)})
            execute(text, params)
            if progress:
                progress(label, count)

        asset_columns = ("key", "tenantId", "id", "namespace", "type", "metadata", "pairs", "fingerprint", "created")
        n = _write(
            work / "assets.csv", asset_columns, ({**r, "pairs": "\t".join(r["metaPairs"])} for r in asset_rows(assets))
        )  # type: ignore[arg-type]
        copy("bulk_assets", work / "assets.csv", n, "assets")
        rows = RunRows()
        for run in runs:
            rows.add(run)
        n = _write(
            work / "executions.csv",
            ("key", "tenantId", "id", "namespace", "flowId", "date", "fingerprint", "document"),
            rows.executions,
        )
        copy("bulk_executions", work / "executions.csv", n, "executions")
        n = _write(work / "slots.csv", SLOT_COLUMNS, rows.slots)
        copy("bulk_task_slots", work / "slots.csv", n, "task slots")
        for name, table, label in (
            ("bulk_read", rows.reads, "READ edges"),
            ("bulk_wrote", rows.writes, "WROTE edges"),
            ("bulk_feeds", rows.feeds, "FEEDS edges"),
        ):
            path = work / f"{name}.csv"
            n = _write(path, EDGE_COLUMNS, table)
            copy(name, path, n, label)
    finally:
        shutil.rmtree(work, ignore_errors=True)
