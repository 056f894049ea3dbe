"""The events the feed and the outbox build are what openlineage-python's Serde makes of its own classes.

`app.openlineage.events.to_dict` and `execution_event_dicts` take shortcuts (no generic passes, an end event built
from its START); these tests hold them to the reference over every shape an event takes here: deleted assets,
descriptions, metadata with nulls and nested values, task-run values, every end state, column lineage with
transformations, a streaming job's type, and assets the caller cannot see."""

from __future__ import annotations

from typing import Any

import pytest
from openlineage.client.serde import Serde

from app.domain.assets import Asset
from app.domain.executions import ExecutionRecord, TaskRunRecord
from app.openlineage import events
from app.openlineage.naming import FieldMapping


def _asset(asset_id: str, **fields: Any) -> Asset:
    values: dict[str, Any] = {
        "tenantId": "main",
        "id": asset_id,
        "namespace": "sales",
        "type": "io.kestra.core.models.assets.Table",
        "displayName": None,
        "description": None,
        "metadata": {"database": "db", "schema": "raw", "name": asset_id},
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        "deleted": False,
    }
    return Asset(**{**values, **fields})


ASSETS = {
    "raw.orders": _asset("raw.orders", displayName="Orders", description="**All** orders"),
    "raw.customers": _asset(
        "raw.customers", metadata={"owner": None, "tags": ["a", None, {}], "nested": {"k": None, "l": [1, 2.5]}}
    ),
    "mart.revenue": _asset("mart.revenue", type="io.kestra.plugin.ee.assets.Dataset", namespace=None),
    "old.table": _asset("old.table", deleted=True, type="my.company.Custom"),
}


def _record(state: str, *, end: str | None, columns: bool = False, job_type: bool = False) -> ExecutionRecord:
    openlineage: dict[str, Any] | None = None
    if columns or job_type:
        openlineage = {"outputs": [], "job": {}}
    if columns:
        source = {"namespace": "kestra://main", "name": "raw.orders", "field": "amount"}
        hidden = {"namespace": "kestra://main", "name": "hidden.table", "field": "x"}
        masked = [{"type": "INDIRECT", "masking": True}]
        openlineage["outputs"] = [  # type: ignore[index]
            {
                "namespace": "kestra://main",
                "name": "mart.revenue",
                "facets": {
                    "columnLineage": {
                        "fields": {
                            "total": {
                                "inputFields": [
                                    {**source, "transformations": [{"type": "DIRECT", "subtype": "AGGREGATION"}]},
                                    hidden,
                                    {**source, "field": "tax", "transformations": masked},
                                ]
                            },
                            "only_hidden": {"inputFields": [{**hidden, "name": "nope"}]},
                        }
                    }
                },
            }
        ]
    if job_type:
        openlineage["job"] = {  # type: ignore[index]
            "facets": {"jobType": {"processingType": "STREAMING", "integration": "FLINK", "jobType": "JOB"}}
        }
    return ExecutionRecord(
        tenantId="main",
        id="exec-1",
        namespace="sales",
        flowId="daily",
        flowRevision=3,
        state=state,
        startDate="2026-01-01T00:00:00.000Z",
        endDate=end,
        recorded="2026-01-01T00:05:00.000Z",
        inputs={},
        labels={},
        taskRuns=[
            TaskRunRecord(taskId="load", value=None, inputs=["raw.orders", "raw.customers", "hidden.table"],
                          outputs=["mart.revenue"]),
            TaskRunRecord(taskId="each", value="eu", inputs=["old.table"], outputs=["old.table", "raw.orders"]),
            TaskRunRecord(taskId="noop", value="", inputs=[], outputs=[]),
        ],
        openlineage=openlineage,
    )  # fmt: skip


RECORDS = [
    _record("SUCCESS", end="2026-01-01T00:04:00.000Z", columns=True),
    _record("WARNING", end=None),
    _record("FAILED", end="2026-01-01T00:04:00.000Z", job_type=True),
    _record("KILLED", end="2026-01-01T00:04:00.000Z", columns=True, job_type=True),
    _record("RUNNING", end=None, columns=True),
]


def _reference(record: ExecutionRecord, mappings: dict[str, FieldMapping] | None = None) -> list[dict[str, Any]]:
    starts: list[dict[str, Any]] = []
    ends: list[dict[str, Any]] = []
    for task_run in record.taskRuns:
        start, *end = events.task_run_events(record, task_run, ASSETS, mappings)
        starts.append(Serde.to_dict(start))
        ends.extend(Serde.to_dict(e) for e in end)
    return starts + ends


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.state)
def test_execution_events_are_serdes_own(record: ExecutionRecord) -> None:
    built = events.execution_event_dicts(record, ASSETS)
    assert built == _reference(record)
    # the same keys in the same order: the JSON a consumer receives is the reference's, byte for byte
    assert [list(e) for e in built] == [list(e) for e in _reference(record)]
    ends = [e for e in built if e["eventType"] != "START"]
    assert len(ends) == (3 if record.endDate or record.state in {"SUCCESS", "WARNING"} else 0)


def test_column_lineage_and_job_type_survive_the_shortcut() -> None:
    built = events.execution_event_dicts(RECORDS[3], ASSETS)
    end = next(e for e in built if e["eventType"] == "ABORT" and e["job"]["name"] == "daily.load")
    fields = end["outputs"][0]["facets"]["columnLineage"]["fields"]
    assert list(fields) == ["total"]  # a field fed only by what the caller cannot see is left out
    assert [i["field"] for i in fields["total"]["inputFields"]] == ["amount", "tax"]
    assert fields["total"]["inputFields"][1]["transformations"] == [{"type": "INDIRECT", "masking": True}]
    assert end["job"]["facets"]["jobType"]["processingType"] == "STREAMING"


def test_mapped_names_and_dataset_events_are_serdes_own() -> None:
    mappings = {"io.kestra.core.models.assets.Table": FieldMapping(namespace="database", name="name")}
    assert events.execution_event_dicts(RECORDS[0], ASSETS, mappings) == _reference(RECORDS[0], mappings)
    for asset in ASSETS.values():
        event = events.asset_event(asset, None, "2026-01-02T00:00:00.000Z")
        assert events.to_dict(event) == Serde.to_dict(event)
    dropped = events.to_dict(events.asset_event(ASSETS["old.table"], None, "2026-01-02T00:00:00.000Z"))
    assert dropped["dataset"]["facets"]["lifecycleStateChange"]["lifecycleStateChange"] == "DROP"
    nested = events.to_dict(events.asset_event(ASSETS["raw.customers"], None, "2026-01-02T00:00:00.000Z"))
    assert nested["dataset"]["facets"]["kestra_asset"]["metadata"] == {"tags": ["a"], "nested": {"l": [1, 2.5]}}
