"""LadybugDB's idle checkpoint: after writes pause the store folds its WAL into the file, without losing or
blocking anything, and never in the middle of a burst; a trickle of small writes is checkpointed once quiet."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest

from app.domain.access import open_scope
from app.domain.assets import AssetIn
from app.services.assets import get_asset, put_asset
from app.store.ladybug import LadybugStore


def _checkpoints(caplog: pytest.LogCaptureFixture) -> int:
    return sum("checkpoint done" in r.getMessage() for r in caplog.records)


def test_checkpoint_follows_a_pause_not_a_burst(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.store.ladybug")
    store = LadybugStore(tmp_path, checkpoint_idle_s=1.5)
    scope = open_scope("main")
    try:
        for n in range(20):  # a burst: writes 0.05 s apart leave no 1.5 s pause, even on a loaded CI machine
            put_asset(store, scope, f"a{n}", AssetIn(type="T", description="x" * 60_000))  # 1.2 MB of WAL
            time.sleep(0.05)
        assert _checkpoints(caplog) == 0
        deadline = time.monotonic() + 10
        while _checkpoints(caplog) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _checkpoints(caplog) == 1
        time.sleep(2)
        assert _checkpoints(caplog) == 1  # nothing new written, nothing to fold
        put_asset(store, scope, "after", AssetIn(type="T"))  # the store still writes after a checkpoint
    finally:
        store.close()
    reopened = LadybugStore(tmp_path, checkpoint_idle_s=0)
    try:
        assert get_asset(reopened, scope, "a19").type == "T"
        assert get_asset(reopened, scope, "after").type == "T"
    finally:
        reopened.close()


def test_a_trickle_is_checkpointed_once_quiet_not_at_each_pause(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Small writes a few seconds apart (an orchestrator's runs one by one) leave the WAL short: a checkpoint at each
    pause would hold the next write up for it, so the checkpoint waits until writes have been quiet a while."""
    caplog.set_level(logging.INFO, logger="app.store.ladybug")
    store = LadybugStore(tmp_path, checkpoint_idle_s=0.3, checkpoint_quiet_s=4)
    scope = open_scope("main")
    try:
        for n in range(3):  # pauses of 0.6 s, twice the idle time, between small writes
            put_asset(store, scope, f"a{n}", AssetIn(type="T"))
            time.sleep(0.6)
        last = time.monotonic() - 0.6
        deadline = time.monotonic() + 20
        while _checkpoints(caplog) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)  # polling for the checkpoint to be logged
        lines = [r.getMessage() for r in caplog.records if "checkpoint done" in r.getMessage()]
        assert len(lines) == 1 and "(writes paused for 4 s;" in lines[0], lines
        assert time.monotonic() - last >= 4.0
    finally:
        store.close()


def test_a_pause_folds_the_recent_edges_only_once_enough_wait(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fold's checkpoint rewrites the large edge tables' node groups, seconds at a large store however few edges
    move: a pause folds once FOLD_PAUSED_EDGES wait, and otherwise checkpoints the recent tables as they are."""
    from app.store.ladybug import _Checkpointer
    from tests.contract.test_lineage import answer, record_edges

    monkeypatch.setattr(_Checkpointer, "FOLD_PAUSED_EDGES", 6)
    caplog.set_level(logging.INFO, logger="app.store.ladybug")
    store = LadybugStore(tmp_path, checkpoint_idle_s=1, checkpoint_quiet_s=2)
    scope = open_scope("main")

    def paused_since(t: float) -> list[str]:  # (a busy checkpoint may take the burst's WAL: then the quiet one)
        return [r.getMessage() for r in caplog.records if r.created > t and "(writes paused" in r.getMessage()]

    def burst_then_pause(n: int) -> str:
        record_edges(store, "main", [("src", f"t{n}")], flow=f"f{n}")  # READ, WROTE and FEEDS: 3 edges
        for k in range(20):  # and 1.2 MB of WAL, so that the pause is checkpointed at once
            put_asset(store, scope, f"big{n}-{k}", AssetIn(type="T", description="x" * 60_000))
        end, deadline = time.time(), time.monotonic() + 20
        while not paused_since(end) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for the pause's checkpoint
        assert paused_since(end), "no checkpoint after the pause"
        return paused_since(end)[0]

    try:
        first = burst_then_pause(0)
        assert "folded" not in first, first
        assert store.recent_edges() == 3
        second = burst_then_pause(1)
        assert "6 recent edges folded" in second, second
        assert store.recent_edges() == 0
        assert answer(store, "main", "src") == {"t0": 1, "t1": 1}
    finally:
        store.close()


def test_continuous_writes_checkpoint_when_the_wal_grows(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.store.ladybug")
    store = LadybugStore(tmp_path, checkpoint_idle_s=60)  # no pause long enough for the idle checkpoint
    scope = open_scope("main")
    try:
        deadline = time.monotonic() + 20
        n = 0
        while not any("continuous writes" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "no checkpoint during 20 s of continuous writes"
            put_asset(store, scope, f"a{n}", AssetIn(type="T", description="x" * 60_000))
            n += 1
            time.sleep(0.02)
        assert n > 10  # it waited for the WAL to pass 1 MiB
        line = next(r.getMessage() for r in caplog.records if "continuous writes" in r.getMessage())
        # an operator reads a long checkpoint from its line: how much WAL, how long it waited for the others
        wal_mb = float(re.search(r"; ([\d.]+) MB of WAL", line).group(1))  # type: ignore[union-attr]
        assert wal_mb >= 1.0 and re.search(r"; [\d.]+ s of it waiting for reads and a write to finish\)$", line)
        put_asset(store, scope, "after", AssetIn(type="T"))
    finally:
        store.close()
    reopened = LadybugStore(tmp_path, checkpoint_idle_s=0)
    try:
        assert get_asset(reopened, scope, "a0").description == "x" * 60_000
        assert get_asset(reopened, scope, "after").type == "T"
    finally:
        reopened.close()


def test_a_busy_checkpoint_leaves_new_edges_in_the_recent_tables(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """During continuous writes a checkpoint rewrites the small recent edge tables only; the fold into the large
    ones waits for a pause (here: the clean close). Answers read both, before and after."""
    from tests.contract.test_lineage import answer, record_edges

    caplog.set_level(logging.INFO, logger="app.store.ladybug")
    store = LadybugStore(tmp_path, checkpoint_idle_s=60)
    scope = open_scope("main")
    chain: list[tuple[str, str]] = []
    try:
        deadline = time.monotonic() + 20
        while not any("continuous writes" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "no checkpoint during 20 s of continuous writes"
            n = len(chain)
            put_asset(store, scope, f"a{n}", AssetIn(type="T", description="x" * 60_000))
            chain.append(("src", f"a{n}"))
            record_edges(store, "main", [chain[-1]], flow=f"f{n}")
            time.sleep(0.02)
        busy = [r.getMessage() for r in caplog.records if "continuous writes" in r.getMessage()]
        assert "folded" not in busy[0]
        assert store.recent_edges() == 3 * len(chain)  # READ, WROTE and FEEDS of each execution, none folded
        expected = {f"a{n}": 1 for n in range(len(chain))}
        assert answer(store, "main", "src") == expected
    finally:
        store.close()
    reopened = LadybugStore(tmp_path, checkpoint_idle_s=0)
    try:
        assert reopened.recent_edges() == 0
        assert answer(reopened, "main", "src") == expected
    finally:
        reopened.close()


def test_too_many_waiting_edges_are_folded_during_continuous_writes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that never pauses does not leave the recent tables to grow without bound."""
    from app.store.ladybug import _Checkpointer
    from tests.contract.test_lineage import answer, record_edges

    monkeypatch.setattr(_Checkpointer, "FOLD_RECENT_EDGES", 3)
    caplog.set_level(logging.INFO, logger="app.store.ladybug")
    store = LadybugStore(tmp_path, checkpoint_idle_s=60)
    scope = open_scope("main")
    try:
        deadline, n = time.monotonic() + 20, 0
        while not any("continuous writes" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "no checkpoint during 20 s of continuous writes"
            put_asset(store, scope, f"a{n}", AssetIn(type="T", description="x" * 60_000))
            record_edges(store, "main", [("src", f"a{n}")], flow=f"f{n}")
            n += 1
            time.sleep(0.02)
        busy = next(r.getMessage() for r in caplog.records if "continuous writes" in r.getMessage())
        assert "recent edges folded" in busy
        assert store.recent_edges() < 3 * n  # the fold moved what waited; later writes wait again
        assert answer(store, "main", "src") == {f"a{k}": 1 for k in range(n)}
    finally:
        store.close()


def test_the_engine_does_not_checkpoint_inside_a_commit_at_its_default_16_mib(tmp_path: Path) -> None:
    """The checkpointer decides when to checkpoint; LadybugDB's own checkpoint (inside a commit, at 16 MiB of WAL by
    default) put one in every second batch of an OpenLineage import. Past 16 MiB the WAL is kept, folded at close."""
    store = LadybugStore(tmp_path, checkpoint_idle_s=0)  # no checkpointer: only the engine's own rule
    scope = open_scope("main")
    try:
        for n in range(20):
            put_asset(store, scope, f"a{n}", AssetIn(type="T", description=f"{n}" + "x" * 1_000_000))
        assert store.wal_path.stat().st_size > 16 << 20
    finally:
        store.close()
    reopened = LadybugStore(tmp_path, checkpoint_idle_s=0)
    try:
        assert get_asset(reopened, scope, "a19").description == "19" + "x" * 1_000_000
    finally:
        reopened.close()
