"""jq programs, run where a runaway program cannot hurt the server.

jq is a full language (`def f: f; f` never ends, `[range(1e9)]` eats memory) and the `jq` package runs it in
C, beyond the reach of a Python timeout. So programs run in one long-lived helper process
(`python -m app.domain.jqworker`) with an address-space limit, spoken to in JSON lines; a program that
outlives its time limit gets the helper killed (a fresh one starts for the next call) and its caller a
clear error.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import threading
from typing import Any

from app.errors import InvalidInput

TIME_LIMIT_S = 2.0
MAX_PROGRAM = 4_096


class JqError(InvalidInput):
    title = "Invalid jq program"


class JqSandbox:
    def __init__(self, time_limit_s: float = TIME_LIMIT_S) -> None:
        self.time_limit_s = time_limit_s
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None

    def _worker(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "app.domain.jqworker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._proc

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(timeout=5)
            self._proc = None

    def run(self, program: str, value: Any) -> list[Any]:
        """All outputs of `program` on `value` (Kestra's `jq` filter returns them as a list)."""
        if not isinstance(program, str) or not program.strip():
            raise JqError("jq() needs a program, e.g. jq('.[].id')", field="expression")
        if len(program) > MAX_PROGRAM:
            raise JqError(f"jq program longer than {MAX_PROGRAM} characters", field="expression")
        request = json.dumps({"program": program, "value": value}, ensure_ascii=False).encode() + b"\n"
        with self._lock:
            proc = self._worker()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(request)
                proc.stdin.flush()
            except BrokenPipeError:
                self._kill()
                raise JqError("the jq helper stopped; retry", field="expression") from None
            ready, _, _ = select.select([proc.stdout], [], [], self.time_limit_s)
            if not ready:
                self._kill()
                raise JqError(f"the jq program {program!r} ran longer than {self.time_limit_s:g} s", field="expression")
            line = proc.stdout.readline()
            if not line:
                self._kill()
                raise JqError(f"the jq program {program!r} was stopped (memory limit)", field="expression")
        answer = json.loads(line)
        if "error" in answer:
            raise JqError(f"jq({program!r}): {answer['error']}", field="expression")
        return answer["ok"]  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                self._kill()
