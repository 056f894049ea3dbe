"""The server's side of the sandbox: a small pool of worker processes, each bounded by the operating system.

- A worker starts with an empty environment (no secret of the server's can be read from it: jq's `$ENV` is
  `{}`), in an empty read-only directory, and limits itself (see worker.py): address space, CPU time per job,
  no file writes.
- A job has a wall-clock limit; past it the worker is killed (SIGKILL) and a fresh one takes its place, and
  the caller gets a 422 naming the limit. The same when the kernel stops it (CPU) or its memory runs out.
- One owner (a token, or a client address on an open server) holds at most `per_owner` workers at once, so one
  caller's slow renders queue behind each other, not in front of everyone else's. A job that cannot get a
  worker within `queue_wait_s` is refused (429 when the owner's own jobs hold them, else 503), never left
  waiting forever.
- Time the worker spends waiting for the server (`assets()` reads the database) is not charged to the job.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.sandbox import wire
from app.errors import DomainError, InvalidInput

_ROOT = Path(__file__).resolve().parents[3]  # the folder that holds the `app` package
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from app.domain.sandbox.worker import main; main()"
_START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class SandboxLimits:
    #: worker processes at most (each holds tens of MB resident when idle: docs/measurements.md)
    workers: int = 4
    #: address space of one worker
    memory_mb: int = 512
    #: wall-clock time of one expression (CPU time is capped a second above it by the kernel)
    time_s: float = 2.0
    #: wall-clock time of one flow or YAML document: parsing, and resolving a run (a ForEach of 10,000 values)
    document_time_s: float = 10.0
    #: workers one owner may hold at once (default: half the pool, at least one)
    per_owner: int | None = None
    #: how long a job may wait for a worker before it is refused
    queue_wait_s: float = 10.0


class LimitExceeded(InvalidInput):
    title = "Evaluation limit exceeded"


class SandboxBusy(DomainError):
    status = 503
    title = "Evaluation workers busy"

    def __init__(self, detail: str, *, status: int = 503, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.status = status
        self.title = "Too many evaluations at once" if status == 429 else self.title


class _Worker:
    def __init__(self, memory_mb: int, cwd: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, str(_ROOT), str(memory_mb * 1024 * 1024)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={},
            cwd=cwd,
            close_fds=True,
            start_new_session=True,
        )
        self._buffer = b""
        ready = self.receive(time.monotonic() + _START_TIMEOUT_S)
        if not ready or not ready.get("ready"):
            self.kill()
            raise RuntimeError("a sandbox worker did not start")

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(wire.encode(message))
        self.proc.stdin.flush()

    def receive(self, deadline: float) -> dict[str, Any] | None:
        """The next message, or None when the worker died or the deadline passed (the caller tells which)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return wire.decode(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close() if pipe else None


class Sandbox:
    def __init__(self, limits: SandboxLimits | None = None) -> None:
        self.limits = limits or SandboxLimits()
        self.per_owner = self.limits.per_owner or max(1, self.limits.workers // 2)
        self._cwd: str | None = None
        self._idle: list[_Worker] = []
        self._count = 0
        self._owners: dict[str, int] = {}
        self._cond = threading.Condition()

    def _start(self) -> _Worker:
        """A new worker, in the pool's empty, read-only working directory (made when first needed)."""
        with self._cond:
            if self._cwd is None or not os.path.isdir(self._cwd):
                self._cwd = tempfile.mkdtemp(prefix="lineage-sandbox-")
                os.chmod(self._cwd, 0o500)
            cwd = self._cwd
        return _Worker(self.limits.memory_mb, cwd)

    # -- the pool -----------------------------------------------------------------------------------------

    def prewarm(self) -> None:
        """Start one worker ahead of the first job (in the background: start-up is not delayed)."""
        with self._cond:
            if self._count:
                return
            self._count += 1
        threading.Thread(target=self._start_spare, daemon=True, name="sandbox-prewarm").start()

    def _start_spare(self) -> None:
        try:
            worker = self._start()
        except Exception:
            with self._cond:
                self._count -= 1
                self._cond.notify_all()
            return
        with self._cond:
            self._idle.append(worker)
            self._cond.notify_all()

    def _acquire(self, owner: str) -> _Worker:
        deadline = time.monotonic() + self.limits.queue_wait_s
        with self._cond:
            while True:
                mine = self._owners.get(owner, 0)
                if mine < self.per_owner and (self._idle or self._count < self.limits.workers):
                    worker = self._idle.pop() if self._idle else None
                    if worker is None:
                        self._count += 1
                    self._owners[owner] = mine + 1
                    spare = not self._idle and self._count < self.limits.workers
                    if spare:
                        self._count += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if mine >= self.per_owner:
                        raise SandboxBusy(
                            f"this caller already has {mine} evaluations running; retry when they end",
                            status=429,
                        )
                    raise SandboxBusy("every evaluation worker is busy; retry shortly")
                self._cond.wait(remaining)
        if spare:  # the next caller finds a worker ready, not one starting on a busy machine
            threading.Thread(target=self._start_spare, daemon=True, name="sandbox-spare").start()
        if worker is None:
            try:
                worker = self._start()
            except Exception:
                self._release(None, owner)
                raise
        return worker

    def _release(self, worker: _Worker | None, owner: str) -> None:
        replace = False
        with self._cond:
            left = self._owners.get(owner, 1) - 1
            if left:
                self._owners[owner] = left
            else:
                self._owners.pop(owner, None)
            if worker is not None and worker.alive():
                self._idle.append(worker)
            elif worker is not None:
                replace = True
            else:
                self._count -= 1
            self._cond.notify_all()
        if worker is not None and not worker.alive():
            worker.kill()
        if replace:  # keep the pool's size: a fresh worker replaces the one that ended
            threading.Thread(target=self._start_spare, daemon=True, name="sandbox-replace").start()

    def close(self) -> None:
        """Stop the idle workers (a later job starts new ones: an app may be started again)."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            cwd, self._cwd = self._cwd, None
            self._cond.notify_all()
        for worker in idle:
            worker.kill()
        if cwd is not None:
            with contextlib.suppress(OSError):
                os.chmod(cwd, 0o700)
                shutil.rmtree(cwd, ignore_errors=True)

    def running(self, owner: str) -> int:
        """How many jobs `owner` has in the workers now."""
        with self._cond:
            return self._owners.get(owner, 0)

    # -- one job ------------------------------------------------------------------------------------------

    def run(
        self,
        job: str,
        args: dict[str, Any],
        *,
        owner: str,
        field: str,
        callbacks: Mapping[str, Callable[..., Any]] | None = None,
    ) -> Any:
        """The job's answer; its domain errors are raised here as themselves, a breached limit as LimitExceeded
        naming it (with `field`)."""
        worker = self._acquire(owner)
        try:
            message = self._converse(worker, job, args, field, callbacks or {})
            if message.get("limit") == "memory":  # the worker exits after saying so: its heap is suspect
                worker.kill()
        except BaseException:  # the worker's state is unknown (a breach, a failing callback): it goes
            worker.kill()
            raise
        finally:
            self._release(worker, owner)
        return self._outcome(message, field)

    def _converse(
        self, worker: _Worker, job: str, args: dict[str, Any], field: str, callbacks: Mapping[str, Callable[..., Any]]
    ) -> dict[str, Any]:
        """Sends the job and answers its calls until its own answer comes."""
        limit = self._time_limit(job)
        deadline = time.monotonic() + limit
        worker.send({"job": job, "args": args, "cpu": limit + 1})
        while True:
            message = worker.receive(deadline)
            if message is None:
                raise self._breach(worker, field, limit)
            if "call" not in message:
                return message
            asked = time.monotonic()
            worker.send(self._call(callbacks, message))
            deadline += time.monotonic() - asked  # the server's own time is not the job's

    @staticmethod
    def _call(callbacks: Mapping[str, Callable[..., Any]], message: dict[str, Any]) -> dict[str, Any]:
        function = callbacks.get(str(message["call"]))
        if function is None:
            return {"error": wire.error_document(InvalidInput(f"{message['call']}() is not available here"))}
        try:
            return {"ok": function(**(message.get("kwargs") or {}))}
        except DomainError as exc:
            return {"error": wire.error_document(exc)}

    def _outcome(self, message: dict[str, Any], field: str) -> Any:
        if "ok" in message:
            return message["ok"]
        if "error" in message:
            raise wire.error_from(message["error"])
        if message.get("limit") == "memory":
            raise LimitExceeded(
                f"{field}: evaluation needed more than its {self.limits.memory_mb} MiB memory limit",
                field=field,
                limit="memory",
            )
        if message.get("limit") == "recursion":
            raise LimitExceeded(f"{field}: evaluation recursed too deeply", field=field, limit="recursion")
        raise RuntimeError(f"sandbox job failed: {message.get('internal')}")

    def _time_limit(self, job: str) -> float:
        return self.limits.time_s if job == "expression" else self.limits.document_time_s

    def _breach(self, worker: _Worker, field: str, limit: float) -> LimitExceeded:
        """The worker went silent past its deadline, or died: kill it and say which limit it hit."""
        alive = worker.alive()
        worker.kill()
        code = worker.proc.returncode
        if alive:
            return LimitExceeded(
                f"{field}: evaluation ran longer than its {limit:g} s time limit",
                field=field,
                limit="time",
            )
        if code == -signal.SIGXCPU:
            return LimitExceeded(
                f"{field}: evaluation used more than its {limit + 1:g} s CPU time limit",
                field=field,
                limit="cpu",
            )
        return LimitExceeded(
            f"{field}: evaluation was stopped (memory limit {self.limits.memory_mb} MiB)", field=field, limit="memory"
        )
