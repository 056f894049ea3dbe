"""Keeping lineage *current*, decided per (task slot, output asset).

A task slot is (flow namespace, flow id, task id, ForEach value). For every asset a slot has written, the edges
into it from the slot's latest started successful run that wrote it are current: a newer run that writes the same
asset from other inputs replaces the old inputs (a table a flow stopped reading drops out of impact), and a newer
run that writes other assets leaves the earlier assets' lineage current (a flow run once per table, per customer,
per VM keeps every table's lineage). A run's READ edges are current while it holds at least one of its outputs;
the runs of a slot that write nothing take turns on the slot itself. Tasks that left a stored flow's latest
revision count no more.

Each (slot, output) holder is a (:TaskSlot) node keyed by app/domain/keys.py: output_slot_key. When a newer run
takes an output over, the older run's WROTE, FEEDS and DERIVES edges into that output get `current = false`, and
its READ edges too once it holds nothing. History stays: nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.keys import asset_key, output_slot_key, task_slot_key
from app.store.base import Tx


@dataclass(frozen=True)
class SlotRun:
    """One task run of an execution, as current lineage sees it."""

    tenant: str
    flow_key: str
    namespace: str
    flow_id: str
    task_id: str
    value: str
    execution_key: str
    date: str
    #: ids of the assets it wrote (distinct)
    outputs: list[str]
    #: the execution failed, was killed or cancelled: history, never current
    unsuccessful: bool = False
    #: the task is absent from the stored flow's latest revision
    retired: bool = False
    has_columns: bool = False

    @property
    def slot_key(self) -> str:
        return task_slot_key(self.tenant, self.namespace, self.flow_id, self.task_id, self.value)

    def targets(self) -> dict[str, str]:
        """Output id -> its key as a (slot, output) holder; the slot's own key when the run wrote nothing."""
        if not self.outputs:
            return {"": self.slot_key}
        return {o: output_slot_key(self.slot_key, asset_key(self.tenant, o)) for o in self.outputs}


@dataclass
class Currency:
    """Which of a task run's edges are current: its READ edges, and its edges into each output."""

    reads: bool
    outputs: dict[str, bool] = field(default_factory=dict)


def take_outputs(tx: Tx, run: SlotRun) -> Currency:
    """Decide which edges of `run` are current; make it the holder of each output it is the latest writer of, and
    demote the edges of the runs it takes outputs from."""
    if run.retired:
        return Currency(reads=False, outputs=dict.fromkeys(run.outputs, False))
    targets = run.targets()
    held = {r["s"]["key"]: r["s"] for r in tx.run("task_slots_get", keys=list(targets.values()))}
    if run.unsuccessful:
        for key, holder in held.items():  # recorded again as failed: no longer the holder
            if holder["executionKey"] == run.execution_key:
                tx.run("task_slot_delete", key=key)
        return Currency(reads=False, outputs=dict.fromkeys(run.outputs, False))
    current: dict[str, bool] = {}
    taken: list[dict[str, str]] = []
    from_runs: list[tuple[dict[str, Any], str]] = []
    for output, key in targets.items():
        holder = held.get(key)
        newer = holder is not None and holder["executionKey"] != run.execution_key
        if newer and (run.date, run.execution_key) <= (holder["date"], holder["executionKey"]):  # type: ignore[index]
            current[output] = False  # a run that started later holds this output
            continue
        current[output] = True
        taken.append({"key": key, "assetKey": asset_key(run.tenant, output) if output else ""})
        if newer:
            from_runs.append((holder, output))  # type: ignore[arg-type]
    if taken:
        tx.run(
            "task_slots_put",
            outputs=taken,
            slotKey=run.slot_key,
            tenantId=run.tenant,
            flowKey=run.flow_key,
            namespace=run.namespace,
            flowId=run.flow_id,
            taskId=run.task_id,
            value=run.value,
            executionKey=run.execution_key,
            date=run.date,
            hasColumns=run.has_columns,
        )
    _demote_taken(tx, run, from_runs)
    return Currency(reads=any(current.values()), outputs={o: c for o, c in current.items() if o})


def _demote_taken(tx: Tx, run: SlotRun, from_runs: list[tuple[dict[str, Any], str]]) -> None:
    """The older runs' edges into the outputs taken from them stop being current; so do their READ edges once they
    hold no output of the slot (or, for runs that wrote nothing, at once)."""
    slot = {"taskId": run.task_id, "value": run.value}
    targets = [{"executionKey": h["executionKey"], "assetKey": asset_key(run.tenant, o)} for h, o in from_runs if o]
    readers = [h["executionKey"] for h, o in from_runs if not o]
    if targets:
        tx.run("demote_output_writes", targets=targets, **slot)
        tx.run("demote_output_feeds", targets=targets, **slot)
        if any(h.get("hasColumns") for h, o in from_runs if o):
            tx.run("demote_output_derives", targets=targets, **slot)
        previous = sorted({t["executionKey"] for t in targets})
        rows = tx.run("slot_outputs_held", executionKeys=previous, **slot)
        readers += [r["executionKey"] for r in rows if not r["held"]]
    for execution_key in readers:
        tx.run("demote_reads", executionKey=execution_key, **slot)


def demote(tx: Tx, execution_key: str, task_id: str, value: str, *, columns: bool = True) -> None:
    """Every edge of one execution in one slot stops being current (`columns`: whether it drew column edges)."""
    for query in ("demote_reads", "demote_writes", "demote_feeds", *(("demote_derives",) if columns else ())):
        tx.run(query, executionKey=execution_key, taskId=task_id, value=value)


def retire_removed_tasks(tx: Tx, flow_key: str, task_ids: list[str]) -> int:
    """Demote and forget the holders of tasks absent from a flow's latest revision; returns how many slots."""
    rows = tx.run("task_slots_retired", flowKey=flow_key, taskIds=task_ids)
    demoted: set[tuple[str, str, str]] = set()
    for row in rows:
        holder = row["s"]
        run = (holder["executionKey"], holder["taskId"], holder["value"])
        if run not in demoted:
            demoted.add(run)
            demote(tx, *run, columns=bool(holder.get("hasColumns")))
        tx.run("task_slot_delete", key=holder["key"])
    return len({row["s"].get("slotKey") or row["s"]["key"] for row in rows})
