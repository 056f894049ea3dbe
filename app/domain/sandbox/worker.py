"""A sandbox worker process: evaluates jobs (app/domain/sandbox/jobs.py) one at a time under OS limits.

Started by the pool with an empty environment and an empty, read-only working directory. Before the first job
it caps its address space (RLIMIT_AS), forbids writing files (RLIMIT_FSIZE 0) and core dumps; before each job
it sets its CPU-time limit (RLIMIT_CPU) to what it has used so far plus the job's budget, so a computation that
never returns to Python (a huge `**`, `'%1500000000d' % 1`, a jq loop) is stopped by the kernel even if the
server's own deadline were missed. A MemoryError is answered and then the worker exits: its heap is suspect.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import sys
from typing import Any, BinaryIO

from app.domain.sandbox import wire
from app.errors import DomainError


class _Pipe:
    """The worker's end: answers out, jobs and call answers in."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO) -> None:
        self.reader, self.writer = reader, writer

    def send(self, message: dict[str, Any]) -> None:
        self.writer.write(wire.encode(message))
        self.writer.flush()

    def receive(self) -> dict[str, Any] | None:
        line = self.reader.readline()
        return wire.decode(line) if line else None

    def call(self, name: str, kwargs: dict[str, Any]) -> Any:
        """Ask the server (the only way out of the sandbox), e.g. for the caller's visible assets."""
        self.send({"call": name, "kwargs": kwargs})
        answer = self.receive()
        if answer is None:
            raise SystemExit(0)
        if "error" in answer:
            raise wire.error_from(answer["error"])
        return answer["ok"]


def _limit_self(memory_bytes: int) -> None:
    with contextlib.suppress(OSError):
        os.nice(5)  # evaluations yield the CPU to the server's own work (answers, writes, /health)
    for limit, value in (
        (resource.RLIMIT_AS, memory_bytes),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_CORE, 0),
    ):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))


def _cpu_budget(seconds: float) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(used.ru_utime + used.ru_stime + seconds)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


def _answer(pipe: _Pipe, job: dict[str, Any]) -> bool:
    """Runs one job and answers it; False when the worker must not take another (its memory ran out)."""
    from app.domain.sandbox.jobs import JOBS

    _cpu_budget(float(job.get("cpu") or 3))
    try:
        pipe.send({"ok": JOBS[job["job"]](job.get("args") or {}, pipe.call)})
        return True
    except DomainError as exc:
        pipe.send({"error": wire.error_document(exc)})
        return True
    except MemoryError:
        pipe.send({"limit": "memory"})
        return False
    except RecursionError:
        pipe.send({"limit": "recursion"})
        return True
    except Exception as exc:  # a bug, not the caller's input: the server logs it as one
        pipe.send({"internal": f"{type(exc).__name__}: {exc}"[:1000]})
        return True


def main() -> None:
    os.environ.clear()  # started with none; Python's locale coercion may have added LC_CTYPE
    memory_bytes = int(sys.argv[-1])
    pipe = _Pipe(sys.stdin.buffer, sys.stdout.buffer)
    _limit_self(memory_bytes)
    from app.domain.sandbox import jobs  # noqa: F401  (imported under the limits, before the first job)

    pipe.send({"ready": True})
    while (job := pipe.receive()) is not None:
        if not _answer(pipe, job):
            break


if __name__ == "__main__":
    main()
