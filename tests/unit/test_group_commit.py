"""How long group commit waits for a batch (app/services/group_commit.py), on a real LadybugDB file: it waits for
as many recordings as were waiting at once, not for the whole window once they have come, and not at all for a lone
client. The window here is long: waiting it out at every batch, as the rule before did, fails the tests; a client
that stops costs its partner's last recording one window at most."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from app.services.group_commit import GroupCommit
from app.store.base import Tx
from app.store.ladybug import LadybugStore

WINDOW_S = 2.0


@pytest.fixture
def committer(tmp_path: Path) -> Any:
    store = LadybugStore(tmp_path / "db", checkpoint_idle_s=0)
    batches: list[list[str]] = []

    def write(tx: Tx, items: list[str]) -> list[str]:
        batches.append(list(items))
        return [f"done {item}" for item in items]

    yield GroupCommit(store, window_s=WINDOW_S, write=write), batches
    store.close()


def test_two_clients_are_written_together_without_waiting_out_the_window(committer: Any) -> None:
    group, batches = committer
    rounds, answers = 8, {}
    start = threading.Barrier(2)
    write = group.write

    def first_when_both_wait(tx: Tx, items: list[str]) -> list[str]:
        # Two clients means both are recording: on a busy machine one thread can start its loop a whole batch
        # after the other, which is one client, then two. The first batch is written once both have queued.
        if not batches:
            with group._cond:
                group._cond.wait_for(lambda: group._waiting >= 2, timeout=WINDOW_S * rounds)
        return write(tx, items)

    group.write = first_when_both_wait

    def client(name: str) -> None:
        start.wait()
        for n in range(rounds):
            answers[f"{name}{n}"] = group.record(f"{name}{n}")

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(name,)) for name in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=WINDOW_S * rounds)
    assert time.monotonic() - began < 2 * WINDOW_S  # the window waited out once at most, when a client stopped
    assert answers == {f"{c}{n}": f"done {c}{n}" for c in "ab" for n in range(rounds)}
    assert sum(len(b) == 2 for b in batches) >= rounds - 1, batches  # written together


def test_a_lone_client_waits_for_nothing(committer: Any) -> None:
    group, batches = committer
    began = time.monotonic()
    assert [group.record(f"x{n}") for n in range(5)] == [f"done x{n}" for n in range(5)]
    assert time.monotonic() - began < WINDOW_S
    assert batches == [[f"x{n}"] for n in range(5)]
