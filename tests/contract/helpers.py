"""Recording the reference flows in tests, the way the API does it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from app.domain.access import open_scope
from app.domain.executions import ExecutionIn, ExecutionRecord
from app.domain.sandbox import Sandbox
from app.services.executions import plan_execution, record_execution
from app.store.base import GraphStore

FLOWS = Path(__file__).resolve().parents[1] / "data" / "flows"
#: one sandbox for every contract test (its workers end with the test process)
SANDBOX = Sandbox()


def flow_yaml(name: str) -> str:
    return (FLOWS / f"{name}.yaml").read_text()


def record(
    store: GraphStore, tenant: str, body: dict[str, Any] | None = None, *, flow: str | None = None, **fields: Any
) -> tuple[ExecutionRecord, bool]:
    data = dict(body or {})
    if flow is not None:
        data["flow"] = flow_yaml(flow)
    data.update(fields)
    scope = fields_scope if (fields_scope := data.pop("scope", None)) else open_scope(tenant)
    plan = plan_execution(store, scope, msgspec.convert(data, ExecutionIn), SANDBOX)
    return record_execution(store, scope, plan)


def run(flow: str, taskruns: list[tuple[str, list[str], list[str]]], **fields: Any) -> dict[str, Any]:
    """A third-form execution body: (taskId, inputs, outputs) per task run."""
    return {
        "namespace": fields.pop("namespace", "company.team"),
        "flowId": flow,
        "taskRuns": [
            {"taskId": t, "assets": {"inputs": [{"id": i} for i in ins], "outputs": [{"id": o} for o in outs]}}
            for t, ins, outs in taskruns
        ],
        **fields,
    }
