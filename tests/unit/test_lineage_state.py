"""The (slot, output) holders a batch decides in memory (app/services/lineage_state.py)."""

from __future__ import annotations

from app.services.lineage_state import Holders, SlotRun


def run(execution: str, date: str) -> SlotRun:
    return SlotRun(
        tenant="t", flow_key="f", namespace="ns", flow_id="flow", task_id="load", value="", execution_key=execution,
        date=date, outputs=["table"],
    )  # fmt: skip


def test_a_run_taken_from_then_recorded_again_keeps_no_demotion_for_its_new_edges() -> None:
    old = run("e1", "2026-01-01T10:00:00Z")
    key = old.targets()["table"]
    holders = Holders({key: {"key": key, "executionKey": "e1", "date": old.date}})
    assert holders.take(run("e0", "2026-01-01T11:00:00Z")).outputs == {"table": True}
    assert [t["executionKey"] for t in holders.demotions()] == ["e1"]  # the old recording's edges stop being current
    again = holders.take(run("e1", "2026-01-01T11:00:00Z"))  # e1 recorded again, as late as e0 (and after by key)
    assert again.outputs == {"table": True}
    assert [t["executionKey"] for t in holders.demotions()] == ["e0"]
    assert holders.held[key]["executionKey"] == "e1"


def test_a_later_run_still_demotes_a_recorded_again_run_it_takes_from() -> None:
    key = run("e1", "").targets()["table"]
    holders = Holders({key: {"key": key, "executionKey": "e1", "date": "2026-01-01T10:00:00Z"}})
    holders.take(run("e1", "2026-01-01T10:30:00Z"))
    assert holders.take(run("e2", "2026-01-01T11:00:00Z")).outputs == {"table": True}
    assert [t["executionKey"] for t in holders.demotions()] == ["e1"]
