"""`lineage bench --mixed SECONDS`: reads and writes at once against a running server, as a service lives.

Two writer threads post executions in the resolved `taskRuns` form (two inputs among the loaded assets, one output:
a new asset, or one this writer wrote before); two reader threads ask the impact of random typical assets. Every
request is timed with its wall-clock start, so a stall can be matched with what the server logged at that moment
(a LadybugDB checkpoint says when it ended and how long it took). Reported: read and write p50/p95/p99/max,
writes/s, the longest stall and what overlapped it, and how the database file and its WAL grew.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from app.bench.graph import SyntheticGraph

#: "INFO - 2026-11-27 13:15:41,465 - app.store.ladybug - ... checkpoint done in 3.37 s (writes paused)"
_CHECKPOINT = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}).*checkpoint done in ([\d.]+) s \(([^)]*)\)")


@dataclass
class Sample:
    start: float  # wall clock (time.time())
    seconds: float
    ok: bool


@dataclass
class MixedLoad:
    base: str  # http://host:port/api/v1/<tenant>
    graph: SyntheticGraph
    typical: list[int]
    seconds: float
    log_path: Path
    files: list[Path]  # the database file and its WAL (LadybugDB); empty for Neo4j
    writers: int = 2
    readers: int = 2
    seed: int = 7
    reads: list[Sample] = field(default_factory=list)
    writes: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def run(self) -> dict[str, Any]:
        sizes_before = self._sizes()
        log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        stop = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self._writer, args=(i, stop)) for i in range(self.writers)]
        threads += [threading.Thread(target=self._reader, args=(i, stop)) for i in range(self.readers)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started
        checkpoints = checkpoints_logged(self.log_path, log_offset)
        sizes_after = self._sizes()
        settled = self._settle(len(checkpoints), log_offset)
        return {
            "seconds": round(elapsed, 1),
            "writers": self.writers,
            "readers": self.readers,
            "read": _summary(self.reads),
            "write": _summary(self.writes),
            "writes_per_s": round(sum(1 for w in self.writes if w.ok) / elapsed, 1),
            "reads_per_s": round(sum(1 for r in self.reads if r.ok) / elapsed, 1),
            "longest_write_stall": self._stall(self.writes, checkpoints),
            "longest_read_stall": self._stall(self.reads, checkpoints),
            "checkpoints": {
                "count": len(checkpoints),
                "max_s": max((c[1] for c in checkpoints), default=None),
                "total_s": round(sum(c[1] for c in checkpoints), 2),
            },
            "files_mb": {"before": sizes_before, "after": sizes_after},
            "settled": settled,
            "errors": self.errors[:10],
            "error_count": len(self.errors),
        }

    # -- load -------------------------------------------------------------------------------------------------

    def _writer(self, n: int, stop: float) -> None:
        rng = np.random.default_rng(self.seed + n)
        written: list[str] = []
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while time.monotonic() < stop:
                inputs = [self.graph.asset_id(int(self.typical[i])) for i in rng.integers(0, len(self.typical), 2)]
                if written and rng.random() < 0.5:
                    output = written[int(rng.integers(0, len(written)))]
                else:
                    output = f"mixed.w{n}.{uuid.uuid4().hex[:12]}"
                    written.append(output)
                body = {
                    "id": f"mixed-{uuid.uuid4().hex}",
                    "namespace": "bench.mixed",
                    "flowId": f"writer{n}",
                    "taskRuns": [
                        {
                            "taskId": f"t{int(rng.integers(0, 50))}",
                            "assets": {
                                "inputs": [{"id": i} for i in inputs],
                                "outputs": [{"id": output, "type": "io.kestra.plugin.ee.assets.Table"}],
                            },
                        }
                    ],
                }
                self.writes.append(self._timed(lambda c=client, b=body: c.post("/executions", json=b), 201))

    def _reader(self, n: int, stop: float) -> None:
        rng = np.random.default_rng(self.seed + 100 + n)
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while time.monotonic() < stop:
                asset = self.graph.asset_id(int(self.typical[int(rng.integers(0, len(self.typical)))]))
                self.reads.append(self._timed(lambda c=client, a=asset: c.get(f"/assets/{a}/impact"), 200))

    def _timed(self, call: Any, expected: int) -> Sample:
        start, t0 = time.time(), time.perf_counter()
        try:
            r = call()
            ok = r.status_code == expected
            if not ok:
                self.errors.append(f"{r.status_code} {r.text[:200]}")
        except httpx.HTTPError as exc:
            ok = False
            self.errors.append(repr(exc))
        return Sample(start=start, seconds=time.perf_counter() - t0, ok=ok)

    def _settle(self, seen: int, log_offset: int) -> dict[str, Any] | None:
        """LadybugDB: once the writers stop, the checkpoint after the pause (which folds the recent edges into the
        large tables once enough wait: app/store/ladybug.py). Its length, and the files after it: what the run left
        behind."""
        if not self.files:
            return None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            checkpoints = checkpoints_logged(self.log_path, log_offset)
            paused = [c for c in checkpoints[seen:] if "writes paused" in c[2]]
            if paused:
                return {"checkpoint_s": paused[0][1], "why": paused[0][2], "files_mb": self._sizes()}
            time.sleep(0.2)
        return {
            "checkpoint_s": None,
            "why": "no checkpoint within 300 s of the writers stopping",
            "files_mb": {},
        }

    # -- report -----------------------------------------------------------------------------------------------

    def _sizes(self) -> dict[str, float]:
        return {p.name: round(p.stat().st_size / 1e6, 1) for p in self.files if p.exists()}

    @staticmethod
    def _stall(samples: list[Sample], checkpoints: list[tuple[float, float, str]]) -> dict[str, Any] | None:
        """The slowest request, and the checkpoint its wait overlapped, if any."""
        if not samples:
            return None
        worst = max(samples, key=lambda s: s.seconds)
        end = worst.start + worst.seconds
        cause = None
        for done, seconds, why in checkpoints:
            if done - seconds <= end and done >= worst.start:
                cause = f"checkpoint of {seconds:.2f} s ({why})"
        return {"seconds": round(worst.seconds, 3), "cause": cause or "no checkpoint overlapped it"}


def _summary(samples: list[Sample]) -> dict[str, Any]:
    return latency_summary([s.seconds for s in samples if s.ok])


def latency_summary(seconds: list[float]) -> dict[str, Any]:
    """n, p50, p95, p99 and max in ms of the requests' latencies."""
    if not seconds:
        return {"n": 0}
    arr = np.array(seconds) * 1000
    return {
        "n": len(seconds),
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "p99_ms": round(float(np.percentile(arr, 99)), 1),
        "max_ms": round(float(arr.max()), 1),
    }


def checkpoints_logged(log_path: Path, offset: int) -> list[tuple[float, float, str]]:
    """(end wall-clock time, seconds, why) of each checkpoint a server logged past `offset` bytes of its log."""
    if not log_path.exists():
        return []
    with log_path.open("rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    out = []
    for stamp, seconds, why in _CHECKPOINT.findall(text):
        end = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        out.append((end, float(seconds), why))
    return out
