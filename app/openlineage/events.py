"""Building OpenLineage events from assets and recorded task runs (openlineage-python's own classes).

- An asset becomes a dataset: `namespace`/`name` from `naming.dataset_name`, with facets `documentation`
  (its markdown description), `datasetType`, `symlinks` (the asset id under `kestra://<tenant>`, which ingest
  follows back) and `kestra_asset` (id, type, namespace, metadata as stored).
- A task run becomes a run of job `<flowId>.<taskId>` in the flow's namespace: a START event at the
  execution's start and, for finished executions, COMPLETE / FAIL / ABORT at its end, with a stable runId,
  a `parent` facet naming the execution (job `<flowId>`), and a `kestra_taskRun` facet.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

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
    dataset_type_dataset,
    documentation_dataset,
    parent_run,
    symlinks_dataset,
)
from openlineage.client.serde import Serde

from app.domain.assets import Asset
from app.domain.executions import ExecutionRecord, TaskRunRecord
from app.domain.types import PREDEFINED, canonical_type
from app.openlineage import PRODUCER
from app.openlineage.facets import KestraAssetDatasetFacet, KestraTaskRunRunFacet
from app.openlineage.naming import FieldMapping, dataset_name, symlink_namespace

#: runIds are UUIDv5 in this namespace, so the same task run always has the same runId.
RUN_NAMESPACE = uuid.UUID("6f1b1c8e-3c2a-5d4e-9a7b-0c1d2e3f4a5b")
END_STATES = {
    "SUCCESS": RunState.COMPLETE,
    "WARNING": RunState.COMPLETE,
    "FAILED": RunState.FAIL,
    "KILLED": RunState.ABORT,
    "CANCELLED": RunState.ABORT,
    "SKIPPED": RunState.ABORT,
}
_TYPE_NAMES = {t.type: t.name.upper() for t in PREDEFINED}


def run_id(tenant: str, execution_id: str, task_id: str | None = None, value: str | None = None) -> str:
    key = f"{tenant}/{execution_id}" if task_id is None else f"{tenant}/{execution_id}/{task_id}/{value or ''}"
    return str(uuid.uuid5(RUN_NAMESPACE, key))


def dataset_facets(asset: Asset) -> dict[str, Any]:
    facets: dict[str, Any] = {
        "datasetType": dataset_type_dataset.DatasetTypeDatasetFacet(
            datasetType=_TYPE_NAMES.get(canonical_type(asset.type), asset.type), producer=PRODUCER
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
    if asset.description:
        facets["documentation"] = documentation_dataset.DocumentationDatasetFacet(
            description=asset.description, contentType="text/markdown", producer=PRODUCER
        )
    return facets


def asset_event(asset: Asset, mappings: Mapping[str, FieldMapping] | None, event_time: str) -> DatasetEvent:
    namespace, name = dataset_name(asset, mappings)
    return DatasetEvent(
        eventTime=event_time,
        producer=PRODUCER,
        dataset=StaticDataset(namespace=namespace, name=name, facets=dataset_facets(asset)),
    )


def task_run_events(
    execution: ExecutionRecord,
    task_run: TaskRunRecord,
    assets: Mapping[str, Asset],
    mappings: Mapping[str, FieldMapping] | None = None,
) -> list[RunEvent]:
    """START and (for a finished execution) its end event; assets absent from `assets` (not visible to the
    caller) are left out of inputs and outputs."""
    tenant = execution.tenantId
    job = Job(namespace=execution.namespace, name=f"{execution.flowId}.{task_run.taskId}")
    facets = {
        "parent": parent_run.ParentRunFacet(
            run=parent_run.Run(runId=run_id(tenant, execution.id)),
            job=parent_run.Job(namespace=execution.namespace, name=execution.flowId),
            producer=PRODUCER,
        ),
        "kestra_taskRun": KestraTaskRunRunFacet(
            tenantId=tenant,
            executionId=execution.id,
            namespace=execution.namespace,
            flowId=execution.flowId,
            taskId=task_run.taskId,
            value=task_run.value,
            state=execution.state,
            startDate=execution.startDate,
            producer=PRODUCER,
        ),
    }
    run = Run(runId=run_id(tenant, execution.id, task_run.taskId, task_run.value), facets=facets)

    def datasets(ids: list[str], cls: type[InputDataset] | type[OutputDataset]) -> list[Any]:
        out = []
        for asset_id in ids:
            asset = assets.get(asset_id)
            if asset is not None:
                namespace, name = dataset_name(asset, mappings)
                out.append(cls(namespace=namespace, name=name, facets=dataset_facets(asset)))
        return out

    inputs = datasets(task_run.inputs, InputDataset)
    outputs = datasets(task_run.outputs, OutputDataset)
    events = [
        RunEvent(
            eventType=RunState.START,
            eventTime=execution.startDate,
            run=run,
            job=job,
            inputs=inputs,
            outputs=outputs,
            producer=PRODUCER,
        )
    ]
    end = END_STATES.get(execution.state)
    if end is not None:
        events.append(
            RunEvent(
                eventType=end,
                eventTime=execution.endDate or execution.startDate,
                run=run,
                job=job,
                inputs=inputs,
                outputs=outputs,
                producer=PRODUCER,
            )
        )
    return events


def to_dict(event: Any) -> dict[str, Any]:
    return Serde.to_dict(event)
