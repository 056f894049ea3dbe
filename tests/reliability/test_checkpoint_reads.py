"""Reads never run beside a LadybugDB checkpoint. The engine lets them (its non-blocking checkpoint) and such a
read can see the file half rewritten: found on 2026-12-06 as an impact of nothing in `test_shapes_agree_with_bfs`,
then reproduced (`test_reads_beside_checkpoints_stay_right`, run longer) as assets reported missing, wrong counts
and the engine's own `version_info.cpp` assertion, in 7 of 300 fresh stores whose first checkpoint ran under two
readers (another run never finished)."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from app.store import ladybug as ladybug_store
from app.store.ladybug import CheckpointPostponed, LadybugStore
from tests.contract.test_lineage import answer, bfs, record_edges

TENANT = "main"


def _graph() -> list[tuple[str, str]]:
    rng = random.Random(11)
    nodes = [f"n{i}" for i in range(40)]
    return sorted({(rng.choice(nodes), rng.choice(nodes)) for _ in range(90)})


def _until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Waits on another thread's progress (no fixed sleep): fails after 30 s."""
    done = threading.Event()
    for _ in range(3000):
        if condition():
            return
        done.wait(0.01)
    pytest.fail(f"timed out waiting for {what}")


def _held_read(store: LadybugStore, inside: threading.Event, release: threading.Event) -> threading.Thread:
    def work(tx):  # type: ignore[no-untyped-def]
        tx.run("schema_version_get", key="schema")
        inside.set()
        release.wait(30)

    thread = threading.Thread(target=store.read, args=(work,))
    thread.start()
    inside.wait(30)
    return thread


def test_a_checkpoint_waits_for_reads_in_progress_and_holds_new_ones(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path, checkpoint_idle_s=0)
    order: list[str] = []
    try:
        record_edges(store, TENANT, _graph())
        inside, release = threading.Event(), threading.Event()
        reader = _held_read(store, inside, release)
        checkpointer = threading.Thread(target=lambda: (store.checkpoint(fold=True), order.append("checkpoint")))
        checkpointer.start()
        _until(lambda: store._gate._shut, "the checkpoint to close the gate")
        late = threading.Thread(target=lambda: (answer(store, TENANT, "n4"), order.append("late read")))
        late.start()
        _until(lambda: store._gate.waiting == 1, "the late read to wait at the gate")
        assert order == []  # neither ran while the first read was open
        order.append("first read ends")
        release.set()
        for thread in (reader, checkpointer, late):
            thread.join(30)
        assert order == ["first read ends", "checkpoint", "late read"]
        assert answer(store, TENANT, "n4") == bfs(_graph(), "n4")
    finally:
        store.close()


def test_a_read_held_open_postpones_the_checkpoint_not_the_other_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow export client keeps its read open: the checkpoint gives up after its wait and reads go on."""
    monkeypatch.setattr(ladybug_store, "CHECKPOINT_DRAIN_S", 0.2)
    store = LadybugStore(tmp_path, checkpoint_idle_s=0)
    try:
        record_edges(store, TENANT, _graph())
        inside, release = threading.Event(), threading.Event()
        reader = _held_read(store, inside, release)
        with pytest.raises(CheckpointPostponed, match="1 read"):
            store.checkpoint(fold=True)
        assert answer(store, TENANT, "n4") == bfs(_graph(), "n4")  # the gate is open again
        release.set()
        reader.join(30)
        store.checkpoint(fold=False)
        assert store.recent_edges() == 0
    finally:
        store.close()


def test_reads_beside_checkpoints_stay_right(tmp_path: Path) -> None:
    """The race itself, as found: fresh stores, two readers paging an impact while the first checkpoint runs."""
    edges = _graph()
    want = {n: bfs(edges, n, depth=2) for n in sorted({x for e in edges for x in e})}
    wrong: list[str] = []
    for trial in range(6):
        store = LadybugStore(tmp_path / str(trial), checkpoint_idle_s=0)
        record_edges(store, TENANT, edges)
        stop = threading.Event()

        def read(store: LadybugStore = store, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                for node, expected in want.items():
                    try:
                        got = answer(store, TENANT, node, depth=2, size=3)
                    except Exception as exc:  # missing assets and engine assertions are what the race gave
                        wrong.append(f"{node}: {exc!r}"[:200])
                        continue
                    if got != expected:
                        wrong.append(f"{node}: {got} != {expected}")

        readers = [threading.Thread(target=read) for _ in range(2)]
        for thread in readers:
            thread.start()
        store.checkpoint(fold=True)
        stop.set()
        for thread in readers:
            thread.join(30)
        store.close()
    assert wrong == []
