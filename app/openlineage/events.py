"""Building OpenLineage events from assets and recorded task runs, as openlineage-python's classes serialize.

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
from enum import Enum
from typing import Any

import attr
from openlineage.client.event_v2 import (
    DatasetEvent,
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
from app.domain.types import PREDEFINED, canonical_type
from app.openlineage import PRODUCER, ingest
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


def _head(cls: Any) -> dict[str, str]:
    """What every facet of class `cls` opens with: its producer and its schema, as openlineage-python sets them."""
    return {"_producer": PRODUCER, "_schemaURL": cls._get_schema()}


# Events are built as the dicts openlineage-python's `Serde` makes of its own classes, key for key and in order
# (tests/unit/test_openlineage_events.py builds them with those classes and holds the two equal): building the
# classes, with a URL check per field, then walking them back into dicts was most of what the outbox cost a
# recording (docs/measurements.md).
_DATASET_TYPE = _head(dataset_type_dataset.DatasetTypeDatasetFacet)
_SYMLINKS = _head(symlinks_dataset.SymlinksDatasetFacet)
_KESTRA_ASSET = _head(KestraAssetDatasetFacet)
_LIFECYCLE = _head(lifecycle_state_change_dataset.LifecycleStateChangeDatasetFacet)
_DOCUMENTATION = _head(documentation_dataset.DocumentationDatasetFacet)
_PARENT = _head(parent_run.ParentRunFacet)
_KESTRA_TASK_RUN = _head(KestraTaskRunRunFacet)
_JOB_TYPE = _head(job_type_job.JobTypeJobFacet)
_COLUMN_LINEAGE = _head(column_lineage_dataset.ColumnLineageDatasetFacet)
_RUN_EVENT = {"producer": PRODUCER, "schemaURL": RunEvent._get_schema()}


def _fields(**values: Any) -> dict[str, Any]:
    """A facet's own fields, those without a value left out (as Serde leaves out None)."""
    return {k: v for k, v in values.items() if v is not None}


def dataset_facets(asset: Asset) -> dict[str, Any]:
    facets: dict[str, Any] = {
        "datasetType": {**_DATASET_TYPE, "datasetType": _TYPE_NAMES.get(canonical_type(asset.type), asset.type)},
        "symlinks": {
            **_SYMLINKS,
            "identifiers": [{"namespace": symlink_namespace(asset.tenantId), "name": asset.id, "type": "ASSET"}],
        },
        "kestra_asset": {
            **_KESTRA_ASSET,
            **_fields(
                tenantId=asset.tenantId,
                id=asset.id,
                type=asset.type,
                namespace=asset.namespace,
                displayName=asset.displayName,
                metadata=_plain(dict(asset.metadata)),
                assetDeleted=asset.deleted,
            ),
        },
    }
    if asset.deleted:  # a catalog drops the dataset (Kestra soft-deletes; a purge removes it for good)
        facets["lifecycleStateChange"] = {
            **_LIFECYCLE,
            "lifecycleStateChange": lifecycle_state_change_dataset.LifecycleStateChange.DROP.value,
        }
    if asset.description:
        facets["documentation"] = {**_DOCUMENTATION, "description": asset.description, "contentType": "text/markdown"}
    return facets


def asset_event(asset: Asset, mappings: Mapping[str, FieldMapping] | None, event_time: str) -> DatasetEvent:
    """An asset as openlineage-python's DatasetEvent (its client sends it; its facets are already plain dicts)."""
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
) -> list[dict[str, Any]]:
    """START and (for a finished execution) its end event; assets absent from `assets` (not visible to the
    caller) are left out of inputs and outputs. The end event differs from its START only in type and time."""
    outputs = _datasets(task_run.outputs, "outputFacets", assets, mappings)
    for output, output_id in zip(outputs, [a for a in task_run.outputs if a in assets], strict=True):
        facet = column_lineage(execution, output_id, assets, mappings)
        if facet is not None:
            output["facets"]["columnLineage"] = facet
    start = {
        "eventTime": execution.startDate,
        **_RUN_EVENT,
        "run": {
            "runId": run_id(execution.tenantId, execution.id, task_run.taskId, task_run.value),
            "facets": task_run_facets(execution, task_run),
        },
        "job": {
            "namespace": execution.namespace,
            "name": f"{execution.flowId}.{task_run.taskId}",
            "facets": job_facets(execution),
        },
        "eventType": RunState.START.value,
        "inputs": _datasets(task_run.inputs, "inputFacets", assets, mappings),
        "outputs": outputs,
    }
    end = END_STATES.get(execution.state)
    if end is None:
        return [start]
    return [start, {**start, "eventTime": execution.endDate or execution.startDate, "eventType": end.value}]


def task_run_facets(execution: ExecutionRecord, task_run: TaskRunRecord) -> dict[str, Any]:
    """A task run's run facets: its parent (the execution's run) and Kestra's own fields."""
    return {
        "parent": {
            **_PARENT,
            "run": {"runId": run_id(execution.tenantId, execution.id), "facets": {}},
            "job": {"namespace": execution.namespace, "name": execution.flowId, "facets": {}},
        },
        "kestra_taskRun": {
            **_KESTRA_TASK_RUN,
            **_fields(
                tenantId=execution.tenantId,
                executionId=execution.id,
                namespace=execution.namespace,
                flowId=execution.flowId,
                taskId=task_run.taskId,
                value=task_run.value,
                state=execution.state,
                startDate=execution.startDate,
            ),
        },
    }


def _datasets(
    ids: list[str], own_facets: str, assets: Mapping[str, Asset], mappings: Mapping[str, FieldMapping] | None
) -> list[dict[str, Any]]:
    """The datasets of the assets named that the caller may see (those in `assets`), in order; `own_facets` is
    `inputFacets` or `outputFacets`."""
    out = []
    for asset_id in ids:
        asset = assets.get(asset_id)
        if asset is not None:
            namespace, name = dataset_name(asset, mappings)
            out.append({"namespace": namespace, "name": name, "facets": dataset_facets(asset), own_facets: {}})
    return out


def job_facets(execution: ExecutionRecord) -> dict[str, Any]:
    """The `jobType` facet a run was ingested with: a streaming job's runs record lineage while they run, so a
    consumer replaying this feed must know the job streams."""
    job_type = (((execution.openlineage or {}).get("job") or {}).get("facets") or {}).get("jobType")
    if not isinstance(job_type, dict) or not job_type.get("processingType") or not job_type.get("integration"):
        return {}
    return {
        "jobType": {
            **_JOB_TYPE,
            **_fields(
                processingType=str(job_type["processingType"]),
                integration=str(job_type["integration"]),
                jobType=_plain(job_type.get("jobType")),
            ),
        }
    }


def column_lineage(
    execution: ExecutionRecord,
    output_id: str,
    assets: Mapping[str, Asset],
    mappings: Mapping[str, FieldMapping] | None,
) -> dict[str, Any] | None:
    """The `columnLineage` facet an output was ingested with (kept in the execution's OpenLineage run), its input
    datasets renamed as this feed names them; input fields of assets the caller cannot see are left out."""
    recorded = execution.openlineage or {}
    tenant = execution.tenantId
    for dataset in recorded.get("outputs") or []:
        facet = (dataset.get("facets") or {}).get("columnLineage")
        if not facet or ingest.asset_id(dataset, tenant) != output_id:
            continue
        fields = {}
        for name, field in (facet.get("fields") or {}).items():
            sources = [_input_field(i, tenant, assets, mappings) for i in field.get("inputFields") or []]
            if any(sources):
                fields[name] = {"inputFields": [s for s in sources if s is not None]}
        return {**_COLUMN_LINEAGE, "fields": fields, "dataset": []} if fields else None
    return None


def _input_field(
    source: dict[str, Any], tenant: str, assets: Mapping[str, Asset], mappings: Mapping[str, FieldMapping] | None
) -> dict[str, Any] | None:
    asset = assets.get(ingest.asset_id({"namespace": source.get("namespace"), "name": source.get("name")}, tenant))
    if asset is None or not source.get("field"):
        return None
    namespace, name = dataset_name(asset, mappings)
    transformations = [
        _fields(type=str(t["type"]), subtype=_plain(t.get("subtype")), description=_plain(t.get("description")),
                masking=_plain(t.get("masking")))
        for t in source.get("transformations") or []
        if isinstance(t, dict) and t.get("type")
    ]  # fmt: skip
    return {"namespace": namespace, "name": name, "field": str(source["field"]), "transformations": transformations}


def execution_event_dicts(
    execution: ExecutionRecord, assets: Mapping[str, Asset], mappings: Mapping[str, FieldMapping] | None = None
) -> list[dict[str, Any]]:
    """An execution's events as the feed and the outbox serve them: every task run's START first, then the end
    events."""
    starts: list[dict[str, Any]] = []
    ends: list[dict[str, Any]] = []
    for task_run in execution.taskRuns:
        start, *end = task_run_events(execution, task_run, assets, mappings)
        starts.append(start)
        ends.extend(end)
    return starts + ends


def to_dict(event: Any) -> dict[str, Any]:
    """What openlineage-python's `Serde.to_dict` makes of an event built with its classes (a DatasetEvent from
    `asset_event`; tests/unit/test_openlineage_events.py holds them equal), in one pass instead of Serde's two."""
    return _plain(event)  # type: ignore[no-any-return]


_SCALARS = (str, int, float, bool)


def _plain(value: Any) -> Any:
    """attrs instances as dicts of their fields, enums as their values, dates and UUIDs as strings; None dropped
    from dicts and lists, and empty dicts from lists (as Serde does)."""
    cls = value.__class__
    if cls in _SCALARS:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: p for k, v in value.items() if (p := _plain(v)) is not None}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [p for v in value if v is not None and (p := _plain(v)) is not None and p != {}]
    if attr.has(cls):
        return {f.name: p for f in attr.fields(cls) if (p := _plain(getattr(value, f.name))) is not None}
    return Serde.remove_nulls_and_enums(value)  # dates, UUIDs and the rarer kinds, Serde's own way
