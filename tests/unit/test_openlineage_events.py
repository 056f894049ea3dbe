"""The events the feed and the outbox build are what openlineage-python's Serde makes of its own classes.

`app.openlineage.events` builds them as plain dicts (no classes, no generic passes, an end event built from its
START); these tests build the same events with openlineage-python's classes (`_reference` below) and hold the two
equal, key for key and in order, over every shape an event takes here: deleted assets, descriptions, metadata with
nulls and nested values, task-run values, every end state, column lineage with transformations, a streaming job's
type, and assets the caller cannot see."""

from __future__ import annotations

from typing import Any

import pytest
from openlineage.client.event_v2 import (
    DatasetEvent,
    InputDataset,
    Job,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
    StaticDataset,
)
from openlineage.client.facet_v2 import (
    column_lineage_dataset,
    dataset_type_dataset,
    documentation_dataset,
    job_type_job,
    lifecycle_state_change_dataset,
    parent_run,
    symlinks_dataset,
)
from openlineage.client.serde import Serde

from app.domain.assets import Asset
from app.domain.executions import ExecutionRecord, TaskRunRecord
from app.domain.types import canonical_type
from app.openlineage import PRODUCER, events, ingest
from app.openlineage.facets import KestraAssetDatasetFacet, KestraTaskRunRunFacet
from app.openlineage.naming import FieldMapping, dataset_name, symlink_namespace


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


# -- the reference: the same events built with openlineage-python's classes, as Serde turns them into dicts ------


def _facets(asset: Asset) -> dict[str, Any]:
    facets: dict[str, Any] = {
        "datasetType": dataset_type_dataset.DatasetTypeDatasetFacet(
            datasetType=events._TYPE_NAMES.get(canonical_type(asset.type), asset.type), producer=PRODUCER
        ),
        "symlinks": symlinks_dataset.SymlinksDatasetFacet(
            identifiers=[
                symlinks_dataset.Identifier(namespace=symlink_namespace(asset.tenantId), name=asset.id, type="ASSET")
            ],
            producer=PRODUCER,
        ),
        "kestra_asset": KestraAssetDatasetFacet(
            tenantId=asset.tenantId,
            id=asset.id,
            type=asset.type,
            namespace=asset.namespace,
            displayName=asset.displayName,
            metadata=dict(asset.metadata),
            assetDeleted=asset.deleted,
            producer=PRODUCER,
        ),
    }
    if asset.deleted:
        facets["lifecycleStateChange"] = lifecycle_state_change_dataset.LifecycleStateChangeDatasetFacet(
            lifecycleStateChange=lifecycle_state_change_dataset.LifecycleStateChange.DROP, producer=PRODUCER
        )
    if asset.description:
        facets["documentation"] = documentation_dataset.DocumentationDatasetFacet(
            description=asset.description, contentType="text/markdown", producer=PRODUCER
        )
    return facets


def _datasets(ids: list[str], cls: Any, mappings: dict[str, FieldMapping] | None) -> list[Any]:
    return [
        cls(namespace=ns, name=name, facets=_facets(ASSETS[i]))
        for i in ids
        if i in ASSETS
        for ns, name in [dataset_name(ASSETS[i], mappings)]
    ]


def _input_field(source: dict[str, Any], mappings: dict[str, FieldMapping] | None) -> Any:
    asset = ASSETS.get(ingest.asset_id({"namespace": source.get("namespace"), "name": source.get("name")}, "main"))
    if asset is None or not source.get("field"):
        return None
    namespace, name = dataset_name(asset, mappings)
    transformations = [
        column_lineage_dataset.Transformation(
            type=str(t["type"]), subtype=t.get("subtype"), description=t.get("description"), masking=t.get("masking")
        )
        for t in source.get("transformations") or []
    ]
    return column_lineage_dataset.InputField(
        namespace=namespace, name=name, field=str(source["field"]), transformations=transformations
    )


def _column_lineage(record: ExecutionRecord, output_id: str, mappings: dict[str, FieldMapping] | None) -> Any:
    for dataset in (record.openlineage or {}).get("outputs") or []:
        facet = dataset["facets"]["columnLineage"]
        if ingest.asset_id(dataset, "main") != output_id:
            continue
        fields = {}
        for name, field in facet["fields"].items():
            sources = [s for s in (_input_field(i, mappings) for i in field["inputFields"]) if s is not None]
            if sources:
                fields[name] = column_lineage_dataset.Fields(inputFields=sources)
        return column_lineage_dataset.ColumnLineageDatasetFacet(fields=fields, producer=PRODUCER) if fields else None
    return None


def _job_facets(record: ExecutionRecord) -> dict[str, Any]:
    job_type = (((record.openlineage or {}).get("job") or {}).get("facets") or {}).get("jobType")
    if not job_type:
        return {}
    return {"jobType": job_type_job.JobTypeJobFacet(producer=PRODUCER, **job_type)}


def _task_run_events(
    record: ExecutionRecord, task_run: TaskRunRecord, mappings: dict[str, FieldMapping] | None
) -> list[RunEvent]:
    job = Job(namespace=record.namespace, name=f"{record.flowId}.{task_run.taskId}", facets=_job_facets(record))
    run = Run(
        runId=events.run_id(record.tenantId, record.id, task_run.taskId, task_run.value),
        facets={
            "parent": parent_run.ParentRunFacet(
                run=parent_run.Run(runId=events.run_id(record.tenantId, record.id)),
                job=parent_run.Job(namespace=record.namespace, name=record.flowId),
                producer=PRODUCER,
            ),
            "kestra_taskRun": KestraTaskRunRunFacet(
                tenantId=record.tenantId,
                executionId=record.id,
                namespace=record.namespace,
                flowId=record.flowId,
                taskId=task_run.taskId,
                value=task_run.value,
                state=record.state,
                startDate=record.startDate,
                producer=PRODUCER,
            ),
        },
    )
    inputs = _datasets(task_run.inputs, InputDataset, mappings)
    outputs = _datasets(task_run.outputs, OutputDataset, mappings)
    for output, output_id in zip(outputs, [a for a in task_run.outputs if a in ASSETS], strict=True):
        facet = _column_lineage(record, output_id, mappings)
        if facet is not None:
            output.facets["columnLineage"] = facet
    times = [(RunState.START, record.startDate)]
    if record.state in events.END_STATES:
        times.append((events.END_STATES[record.state], record.endDate or record.startDate))
    return [
        RunEvent(eventType=state, eventTime=when, run=run, job=job, inputs=inputs, outputs=outputs, producer=PRODUCER)
        for state, when in times
    ]


def _reference(record: ExecutionRecord, mappings: dict[str, FieldMapping] | None = None) -> list[dict[str, Any]]:
    starts: list[dict[str, Any]] = []
    ends: list[dict[str, Any]] = []
    for task_run in record.taskRuns:
        start, *end = _task_run_events(record, task_run, mappings)
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
        namespace, name = dataset_name(asset, None)
        reference = DatasetEvent(
            eventTime="2026-01-02T00:00:00.000Z",
            producer=PRODUCER,
            dataset=StaticDataset(namespace=namespace, name=name, facets=_facets(asset)),
        )
        assert events.to_dict(event) == Serde.to_dict(event) == Serde.to_dict(reference)
        assert list(events.to_dict(event)["dataset"]["facets"]["kestra_asset"]) == list(
            Serde.to_dict(reference)["dataset"]["facets"]["kestra_asset"]
        )
    dropped = events.to_dict(events.asset_event(ASSETS["old.table"], None, "2026-01-02T00:00:00.000Z"))
    assert dropped["dataset"]["facets"]["lifecycleStateChange"]["lifecycleStateChange"] == "DROP"
    nested = events.to_dict(events.asset_event(ASSETS["raw.customers"], None, "2026-01-02T00:00:00.000Z"))
    assert nested["dataset"]["facets"]["kestra_asset"]["metadata"] == {"tags": ["a"], "nested": {"l": [1, 2.5]}}
