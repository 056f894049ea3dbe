"""Keeping lineage *current*: for each task slot (flow namespace, flow id, task id, ForEach value) only the
edges of its most recent execution count, and tasks that left a stored flow's latest revision count no more.

The latest execution of a slot is kept in a (:TaskSlot) node; when a newer one arrives, the older one's
READ, WROTE, FEEDS and DERIVES edges of that slot get `current = false`. History stays: nothing is deleted.
"""

from __future__ import annotations

from app.store.base import Tx


def demote(tx: Tx, execution_key: str, task_id: str, value: str, *, columns: bool = True) -> None:
    """`columns`: whether the execution drew column edges (its slot says so; recording skips the query if not)."""
    for query in ("demote_reads", "demote_writes", "demote_feeds", *(("demote_derives",) if columns else ())):
        tx.run(query, executionKey=execution_key, taskId=task_id, value=value)


def retire_removed_tasks(tx: Tx, flow_key: str, task_ids: list[str]) -> int:
    """Demote and forget the slots of tasks absent from a flow's latest revision; returns how many."""
    rows = tx.run("task_slots_retired", flowKey=flow_key, taskIds=task_ids)
    for row in rows:
        slot = row["s"]
        demote(tx, slot["executionKey"], slot["taskId"], slot["value"], columns=bool(slot.get("hasColumns")))
        tx.run("task_slot_delete", key=slot["key"])
    return len(rows)
