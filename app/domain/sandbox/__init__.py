"""Where user input is evaluated: flow YAML, Pebble templates and jq programs run in worker processes that
the operating system bounds (memory, CPU time, no files, no environment), never in the server itself.

`Sandbox.run(job, args, owner=...)` sends one job to a worker of a small pool and returns its answer; a job
that breaches a limit gets its worker killed and replaced, and its caller a 422 that names the limit.
"""

from app.domain.sandbox.pool import LimitExceeded, Sandbox, SandboxBusy, SandboxLimits

__all__ = ["LimitExceeded", "Sandbox", "SandboxBusy", "SandboxLimits"]
