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
its READ edges too once it holds nothing. History stays: nothing is deleted. A batch of runs (app/services/
recording.py) is decided in one pass over its runs, in order, with a fixed number of statements.
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


class Holders:
    """The (slot, output) holders as a batch of task runs changes them, run by run in the batch's order: which of
    each run's edges are current when it is written, which holders to store, and which older runs' edges stop being
    current. The database demotes those (`store`) after the batch's edges exist, so a run of the batch that a later
    run of the same batch takes an output from is demoted exactly as a stored one."""

    def __init__(self, held: dict[str, dict[str, Any]]) -> None:
        #: holder key -> the TaskSlot properties of the run that holds it
        self.held = held
        self.stored = set(held)
        self.puts: dict[str, dict[str, Any]] = {}
        self.deletes: set[str] = set()
        #: (execution key, task id, value) of an older run -> asset key -> its edges into that asset to demote
        self.taken: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
        #: the older runs that wrote nothing whose READ edges to demote
        self.readers: dict[tuple[str, str, str], dict[str, str]] = {}
        self.columns = False

    def take(self, run: SlotRun) -> Currency:
        """Decide which edges of `run` are current; make it the holder of each output it is the latest writer of."""
        if run.retired:
            return Currency(reads=False, outputs=dict.fromkeys(run.outputs, False))
        self._forget_demotions(run)
        targets = run.targets()
        if run.unsuccessful:
            for key in targets.values():  # recorded again as failed: no longer the holder
                if key in self.held and self.held[key]["executionKey"] == run.execution_key:
                    del self.held[key]
                    self.puts.pop(key, None)
                    self.deletes.add(key)
            return Currency(reads=False, outputs=dict.fromkeys(run.outputs, False))
        current: dict[str, bool] = {}
        for output, key in targets.items():
            holder = self.held.get(key)
            newer = holder is not None and holder["executionKey"] != run.execution_key
            if newer and (run.date, run.execution_key) <= (holder["date"], holder["executionKey"]):  # type: ignore[index]
                current[output] = False  # a run that started later holds this output
                continue
            current[output] = True
            if newer:
                self._demote(run, holder, output)  # type: ignore[arg-type]
            self.held[key] = self.puts[key] = self._holder(run, key, output)
            self.deletes.discard(key)
        return Currency(reads=any(current.values()), outputs={o: c for o, c in current.items() if o})

    def _forget_demotions(self, run: SlotRun) -> None:
        """A run of the batch that an earlier run took this slot's outputs from, and that is recorded again here
        (an OpenLineage run that received events after it ended): the demotions planned for it were for edges its
        earlier recording had, deleted with it; they must not reach the edges this recording writes."""
        slot = (run.execution_key, run.task_id, run.value)
        self.taken.pop(slot, None)
        self.readers.pop(slot, None)

    @staticmethod
    def _holder(run: SlotRun, key: str, output: str) -> dict[str, Any]:
        return {
            "key": key,
            "assetKey": asset_key(run.tenant, output) if output else "",
            "slotKey": run.slot_key,
            "tenantId": run.tenant,
            "flowKey": run.flow_key,
            "namespace": run.namespace,
            "flowId": run.flow_id,
            "taskId": run.task_id,
            "value": run.value,
            "executionKey": run.execution_key,
            "date": run.date,
            "hasColumns": run.has_columns,
        }

    def _demote(self, run: SlotRun, holder: dict[str, Any], output: str) -> None:
        """The older run's edges into the output taken from it stop being current; so do its READ edges once it
        holds no output of the slot (for a run that wrote nothing, at once)."""
        slot = (holder["executionKey"], run.task_id, run.value)
        if not output:
            self.readers[slot] = _row(slot)
            return
        target = asset_key(run.tenant, output)
        self.taken.setdefault(slot, {})[target] = {**_row(slot), "assetKey": target}
        self.columns = self.columns or bool(holder.get("hasColumns"))

    def demotions(self) -> list[dict[str, Any]]:
        """The older runs' edges into outputs taken from them: (execution key, task id, value, asset key) rows."""
        return [row for rows in self.taken.values() for row in rows.values()]

    def store(self, tx: Tx) -> None:
        """Write the holders and demote what the batch took over (after the batch's own edges were created), all
        set-based."""
        if self.deletes:
            tx.run("task_slots_delete", keys=sorted(self.deletes))
        stored = [h for k, h in self.puts.items() if k in self.stored]
        if stored:
            tx.run("task_slots_update", rows=[{k: h[k] for k in UPDATED} for h in stored])
        if len(stored) < len(self.puts):
            tx.run("task_slots_create", rows=[h for k, h in self.puts.items() if k not in self.stored])
        taken = self.demotions()
        if taken:
            for query in ("demote_taken_writes", "demote_taken_feeds", *(("demote_taken_derives",) * self.columns)):
                tx.run(query, rows=taken)
        readers = dict(self.readers)
        if taken:
            slots = [_row(slot) for slot in self.taken]
            readers.update({_slot(r): _slot_of(r) for r in tx.run("slots_outputs_held", rows=slots) if not r["held"]})
        if readers:
            tx.run("demote_runs_reads", rows=list(readers.values()))


SLOT = ("executionKey", "taskId", "value")
#: what changes when a stored holder passes to another run (the rest follows from its key)
UPDATED = ("key", "executionKey", "date", "hasColumns")


def _slot(row: dict[str, Any]) -> tuple[str, str, str]:
    return row["executionKey"], row["taskId"], row["value"]


def _row(slot: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(SLOT, slot, strict=True))


def _slot_of(row: dict[str, Any]) -> dict[str, str]:
    return _row(_slot(row))


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
