"""OpenLineage events in: validated against the official schema, then turned into executions and assets.

- A `COMPLETE` RunEvent records one execution whose id is the run's `runId`: its inputs are READ, its
  outputs WROTE. The task slot (current lineage) is the job: namespace, job name, no value; events this
  service emitted carry a `kestra_taskRun` facet that restores the exact flow, task, value and start.
- A dataset is the asset its `symlinks` facet names under `kestra://<tenant>` (this tenant's first, then any
  tenant's) when it has one, else the asset `<dataset namespace>/<dataset name>`.
- A DatasetEvent registers or updates that asset. START / RUNNING / FAIL / ABORT / OTHER RunEvents and
  JobEvents are validated and acknowledged; they record nothing (documented in the README).
- The event itself is kept with the execution it recorded, so facets this service does not model are
  not lost.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match, relevance

from app.domain import limits
from app.errors import BadRequest
from app.openlineage import KESTRA_SYMLINK_SCHEME
from app.timeutil import normalize_iso

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "OpenLineage.json"
MAX_DATASETS = 1_000
_NAMESPACE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_TASK_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _relevance(error: Any) -> Any:
    """Prefer the event kind the document meant: the failure that got deepest into it."""
    return (len(list(error.absolute_path)), *relevance(error))


def validate(event: Any) -> str:
    """The event's kind (RunEvent, DatasetEvent, JobEvent), or a 400 naming the schema path that failed."""
    if not isinstance(event, dict):
        raise BadRequest("an OpenLineage event is a JSON object", field="event")
    best = best_match(_validator().iter_errors(event), key=_relevance)
    if best is not None:
        while best.context:  # oneOf / allOf: descend to the failure that names a field
            best = best_match(best.context, key=_relevance) or best
            if not best.context:
                break
        path = "/".join(str(p) for p in best.absolute_path) or "(root)"
        schema_path = "/".join(str(p) for p in best.absolute_schema_path)
        raise BadRequest(
            f"OpenLineage event does not match the schema at {path}: {best.message}",
            field=path,
            schemaPath=schema_path,
            path=path,
        )
    if "run" in event and "job" in event:
        return "RunEvent"
    if "dataset" in event:
        return "DatasetEvent"
    return "JobEvent"


def kestra_namespace(name: str) -> str:
    """A Kestra namespace for an OpenLineage namespace (`my-airflow` stays, `dbt://proj` becomes `dbt.proj`)."""
    cleaned = _NAMESPACE_CHARS.sub(".", name).strip(".")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    cleaned = ".".join(seg for seg in cleaned.split(".") if seg)
    return (cleaned or "openlineage")[: limits.MAX_NAMESPACE]


def task_id(name: str) -> str:
    cleaned = _TASK_CHARS.sub("_", name).strip("_") or "job"
    return cleaned[:100] if cleaned[0].isalnum() else ("j" + cleaned)[:100]


def flow_id(name: str) -> str:
    cleaned = _NAMESPACE_CHARS.sub("_", name).strip("._") or "job"
    return cleaned[:100] if cleaned[0].isalnum() else ("j" + cleaned)[:100]


def asset_id(dataset: dict[str, Any], tenant: str) -> str:
    """The asset a dataset is. A `kestra://<tenant>` symlink names an asset id; ids are relative to a tenant,
    so a symlink written by another tenant (an export, a copy) names the same id here."""
    symlinks = ((dataset.get("facets") or {}).get("symlinks") or {}).get("identifiers") or []
    own = [i for i in symlinks if i.get("namespace") == f"{KESTRA_SYMLINK_SCHEME}{tenant}" and i.get("name")]
    other = [i for i in symlinks if str(i.get("namespace", "")).startswith(KESTRA_SYMLINK_SCHEME) and i.get("name")]
    for identifier in own or other:
        return str(identifier["name"])
    if str(dataset["namespace"]).startswith(KESTRA_SYMLINK_SCHEME):
        return str(dataset["name"])
    return f"{dataset['namespace']}/{dataset['name']}"


def asset_declaration(dataset: dict[str, Any], tenant: str, *, output: bool) -> dict[str, Any]:
    """An asset declaration (as in a task's `assets`) for a dataset."""
    facets = dataset.get("facets") or {}
    kestra = facets.get("kestra_asset") or {}
    decl: dict[str, Any] = {"id": asset_id(dataset, tenant)}
    if kestra.get("type"):
        decl["type"] = kestra["type"]
    elif output:
        decl["type"] = "io.kestra.plugin.ee.assets.Dataset"
    if kestra.get("namespace"):
        decl["namespace"] = kestra["namespace"]
    if kestra.get("displayName"):
        decl["displayName"] = kestra["displayName"]
    description = (facets.get("documentation") or {}).get("description")
    if description:
        decl["description"] = description
    if isinstance(kestra.get("metadata"), dict):
        decl["metadata"] = kestra["metadata"]
    elif not str(dataset["namespace"]).startswith(KESTRA_SYMLINK_SCHEME):
        decl["metadata"] = {
            "openlineage.namespace": str(dataset["namespace"]),
            "openlineage.name": str(dataset["name"]),
        }
    return decl


def run_event_execution(event: dict[str, Any], tenant: str) -> dict[str, Any] | None:
    """The execution body (resolved task runs) a COMPLETE RunEvent records, or None for other states."""
    if event.get("eventType") != "COMPLETE":
        return None
    run, job = event["run"], event["job"]
    inputs, outputs = event.get("inputs") or [], event.get("outputs") or []
    if len(inputs) + len(outputs) > MAX_DATASETS:
        raise BadRequest(f"more than {MAX_DATASETS} datasets in one event", field="inputs")
    facets = run.get("facets") or {}
    task_run = facets.get("kestra_taskRun") or {}
    nominal = (facets.get("nominalTime") or {}).get("nominalStartTime")
    try:
        start = normalize_iso(task_run.get("startDate") or nominal or event["eventTime"])
        end = normalize_iso(event["eventTime"])
    except ValueError as exc:
        raise BadRequest(f"eventTime: not an ISO 8601 date-time ({exc})", field="eventTime") from exc
    if end < start:
        start = end
    namespace = task_run.get("namespace") or kestra_namespace(job["namespace"])
    return {
        "id": str(run["runId"]),
        "namespace": namespace,
        "flowId": task_run.get("flowId") or flow_id(job["name"]),
        "state": task_run.get("state") if task_run.get("state") in ("SUCCESS", "WARNING") else "SUCCESS",
        "startDate": start,
        "endDate": end,
        "taskRuns": [
            {
                "taskId": task_run.get("taskId") or task_id(job["name"]),
                "value": task_run.get("value"),
                "assets": {
                    "inputs": [asset_declaration(d, tenant, output=False) for d in inputs],
                    "outputs": [asset_declaration(d, tenant, output=True) for d in outputs],
                },
            }
        ],
    }
