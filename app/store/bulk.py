"""Turning bulk assets and task runs into the rows each backend loads (shared by both backends)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from app.domain.keys import output_slot_key
from app.store.base import BulkAsset, BulkRun

EDGE_COLUMNS = (
    "sourceKey",
    "targetKey",
    "executionKey",
    "executionId",
    "namespace",
    "flowId",
    "taskId",
    "value",
    "date",
)


@dataclass
class RunRows:
    """Rows derived from task runs, by table; executions and slots are deduplicated by key."""

    executions: list[dict[str, str]] = field(default_factory=list)
    slots: list[dict[str, str]] = field(default_factory=list)
    reads: list[dict[str, str]] = field(default_factory=list)
    writes: list[dict[str, str]] = field(default_factory=list)
    feeds: list[dict[str, str]] = field(default_factory=list)
    _seen_executions: set[str] = field(default_factory=set)
    _seen_slots: set[str] = field(default_factory=set)

    def add(self, run: BulkRun) -> None:
        """One task run's rows: its execution (once), its slots, and its READ, WROTE and FEEDS edges."""
        if run.executionKey not in self._seen_executions:
            self._seen_executions.add(run.executionKey)
            self.executions.append(_execution_row(run))
        for output in run.outputs or ("",):  # the holder of each output of the slot (lineage_state.py)
            key = output_slot_key(run.slotKey, output)
            if key not in self._seen_slots:
                self._seen_slots.add(key)
                self.slots.append(_slot_row(run, key, output))
        common = {
            "executionKey": run.executionKey,
            "executionId": run.executionId,
            "namespace": run.namespace,
            "flowId": run.flowId,
            "taskId": run.taskId,
            "value": run.value,
            "date": run.date,
        }
        self.reads += [{"sourceKey": run.executionKey, "targetKey": i, **common} for i in run.inputs]
        self.writes += [{"sourceKey": run.executionKey, "targetKey": o, **common} for o in run.outputs]
        self.feeds += [{"sourceKey": i, "targetKey": o, **common} for i in run.inputs for o in run.outputs]


def _execution_row(run: BulkRun) -> dict[str, object]:
    """The execution of a bulk-loaded task run, with the document a recorded one keeps (its node's own fields are
    properties, not repeated in it: app/services/recording.py, stored_record)."""
    document = {
        "inputs": {},
        "labels": {},
        "taskRuns": [],
        "notes": ["bulk-loaded"],
    }
    return {
        "key": run.executionKey,
        "tenantId": run.tenantId,
        "id": run.executionId,
        "namespace": run.namespace,
        "flowId": run.flowId,
        "date": run.date,
        "fingerprint": "bulk",
        "document": json.dumps(document),
    }


def _slot_row(run: BulkRun, key: str, output: str) -> dict[str, object]:
    return {
        "key": key,
        "slotKey": run.slotKey,
        "assetKey": output,
        "tenantId": run.tenantId,
        "flowKey": run.flowKey,
        "namespace": run.namespace,
        "flowId": run.flowId,
        "taskId": run.taskId,
        "value": run.value,
        "executionKey": run.executionKey,
        "date": run.date,
    }


def asset_rows(assets: Iterable[BulkAsset]) -> Iterator[dict[str, object]]:
    for a in assets:
        yield {
            "key": a.key,
            "tenantId": a.tenantId,
            "id": a.id,
            "namespace": a.namespace,
            "type": a.type,
            "metadata": a.metadata,
            "metaPairs": list(a.metaPairs),
            "fingerprint": a.fingerprint,
            "created": a.created,
        }
