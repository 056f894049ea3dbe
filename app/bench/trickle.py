"""`lineage bench --trickle N`: N recordings one at a time, one every GAP_S seconds, as an orchestrator sends its
flow runs one by one. Each request's latency, and the checkpoints the server logged meanwhile: a server that
checkpointed at every pause in writes made such a writer wait for one at every second request (README, Reads).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.bench.mixed import checkpoints_logged, latency_summary

#: seconds between two recordings' starts: longer than the 2 s pause after which LadybugDB may checkpoint
GAP_S = 3.0


@dataclass
class Trickle:
    #: sends one encoded execution: (status, text)
    post: Callable[[bytes], tuple[int, str]]
    bodies: list[bytes]
    log_path: Path
    gap_s: float = GAP_S

    def run(self) -> dict[str, Any]:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        latencies: list[float] = []
        errors: list[str] = []
        due = time.perf_counter()
        for body in self.bodies:
            if (ahead := due - time.perf_counter()) > 0:
                time.sleep(ahead)  # the writer's schedule: one recording every gap_s
            t = time.perf_counter()
            status, text = self.post(body)
            latencies.append(time.perf_counter() - t)
            if status != 201:
                errors.append(f"{status} {text[:200]}")
            due += self.gap_s
        checkpoints = [seconds for _, seconds, _ in checkpoints_logged(self.log_path, offset)]
        return {
            "requests": len(latencies),
            "gap_s": self.gap_s,
            **latency_summary(latencies),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
            "checkpoints": {"count": len(checkpoints), "max_s": max(checkpoints, default=0.0)},
        }
