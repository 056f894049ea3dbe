"""OpenLineage events in: validated against the official schema, then turned into executions and assets.

- RunEvents are merged per `runId` (app/openlineage/runs.py). A run that has ended (COMPLETE, FAIL, ABORT)
  records one execution whose id is the `runId`, from the union of its events: its inputs are READ, its
  outputs WROTE; a later event of the run records it again from the new union. The task slot (current
  lineage) is the job: namespace, job name, no value; events this service emitted carry a `kestra_taskRun`
  facet that restores the exact flow, task, value and start.
- `schema` facets name a dataset's columns and `columnLineage` facets which output column derives from which
  input column (with the transformation types); both become Column nodes and DERIVES edges.
- A dataset is the asset its `symlinks` facet names under `kestra://<tenant>` (this tenant's first, then any
  tenant's) when it has one, else the asset `<dataset namespace>/<dataset name>`.
- A DatasetEvent registers or updates that asset (and its columns). JobEvents are validated and acknowledged.
- The merged run is kept with the execution it recorded, so facets this service does not model are not lost.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match, relevance

from app.domain import limits
from app.domain.executions import check_not_ahead
from app.domain.limits import IngestLimits
from app.errors import BadRequest, InvalidInput
from app.memo import cached_if_short
from app.openlineage import KESTRA_SYMLINK_SCHEME
from app.openlineage.runs import TERMINAL, RunView
from app.timeutil import normalize_iso

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "OpenLineage.json"
MAX_DATASETS = 1_000
_NAMESPACE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_TASK_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


def _schema(kind: str | None) -> dict[str, Any]:
    """The official schema; for one kind of event, with its `oneOf` narrowed to that kind (a RunEvent checked
    against RunEvent alone costs a third of the three-way `oneOf`)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    if kind is not None:
        schema["oneOf"] = [{"$ref": f"#/$defs/{kind}"}]
    return schema


@lru_cache(maxsize=4)
def _validator(kind: str | None = None) -> Draft202012Validator:
    """The reference validator: it decides and explains every rejection."""
    return Draft202012Validator(_schema(kind), format_checker=_FORMATS)


@lru_cache(maxsize=4)
def _accepts(kind: str | None = None) -> Callable[[Any], Any]:
    """The same schema compiled to Python code (fastjsonschema), fifty times faster than the reference validator
    on valid events, which most are. It only accepts: an event it refuses goes to the reference validator, which
    decides. It reads the schema as draft 7, which means the same here: the schema uses no keyword whose meaning
    changed in 2020-12 and no `$ref` beside other keywords (tests/unit/test_openlineage_schema.py checks both)."""
    return fastjsonschema.compile(_schema(kind), formats={"date-time": _date_time})  # type: ignore[no-any-return]


def _date_time(value: object) -> bool:
    """RFC 3339 `date-time` (jsonschema checks it only with an optional package; we check it always)."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        normalize_iso(value)
    except ValueError:
        return False
    return True


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_FORMATS = FormatChecker()
_FORMATS.checks("date-time")(_date_time)


def _kind_by_shape(event: dict[str, Any]) -> str | None:
    """The kind an event's top-level fields say it is (the schema then decides whether it is a valid one)."""
    if "run" in event:
        return "RunEvent"
    if "dataset" in event:
        return "DatasetEvent"
    return "JobEvent" if "job" in event else None


def _relevance(error: Any) -> Any:
    """Prefer the event kind the document meant: the failure that got deepest into it."""
    return (len(list(error.absolute_path)), *relevance(error))


def validate(event: Any) -> str:
    """The event's kind (RunEvent, DatasetEvent, JobEvent), or a 400 naming the schema path that failed."""
    if not isinstance(event, dict):
        raise BadRequest("an OpenLineage event is a JSON object", field="event")
    try:
        _accepts(_kind_by_shape(event))(event)
        return _kind_of(event)
    except fastjsonschema.JsonSchemaException:
        pass
    best = best_match(_validator(_kind_by_shape(event)).iter_errors(event), key=_relevance)
    if best is not None:
        while best.context:  # oneOf / allOf: descend to the failure that names a field
            best = best_match(best.context, key=_relevance) or best
            if not best.context:
                break
        path = "/".join(str(p) for p in best.absolute_path) or "(root)"
        schema_path = "/".join(str(p) for p in best.absolute_schema_path)
        message = best.message if len(best.message) <= 300 else best.message[:300] + "..."
        raise BadRequest(
            f"OpenLineage event does not match the schema at {path}: {message}",
            field=path,
            schemaPath=schema_path,
            path=path,
        )
    return _kind_of(event)


def _kind_of(event: dict[str, Any]) -> str:
    """The kind of a valid event."""
    if "run" in event and "job" in event:
        return "RunEvent"
    if "dataset" in event:
        return "DatasetEvent"
    return "JobEvent"


def check_event(event: dict[str, Any], *, now: str, limits: IngestLimits) -> None:
    """What the schema cannot say: no time further ahead of the server's clock than the skew allows (an event dated
    9999 would keep its job's later real runs from ever being current), and no more column edges than allowed."""
    check_not_ahead(normalize_iso(str(event["eventTime"])), now, limits.future_skew_s, "eventTime")
    task_run = ((event.get("run") or {}).get("facets") or {}).get("kestra_taskRun") or {}
    if isinstance(task_run.get("startDate"), str) and _date_time(task_run["startDate"]):
        check_not_ahead(normalize_iso(task_run["startDate"]), now, limits.future_skew_s, "run.facets.kestra_taskRun")
    edges = sum(_column_edge_count(output) for output in event.get("outputs") or [] if isinstance(output, dict))
    if edges > limits.column_edges:
        raise column_edges_refused(edges, limits.column_edges)


def column_edges_refused(edges: int, limit: int) -> InvalidInput:
    return InvalidInput(
        f"outputs: the columnLineage facets name {edges} column edges, more than the {limit} allowed per run "
        "(LINEAGE_MAX_COLUMN_EDGES)",
        field="outputs",
        limit="columnEdges",
    )


def _column_edge_count(output: dict[str, Any]) -> int:
    """Column edges an output's `columnLineage` facet asks for, counted before any is made: each field's input
    fields, plus each dataset-level entry times the output's columns."""
    facet = (output.get("facets") or {}).get("columnLineage") or {}
    fields = facet.get("fields") or {}
    if not isinstance(fields, dict):
        return 0
    per_field = sum(len(f.get("inputFields") or []) for f in fields.values() if isinstance(f, dict))
    whole = facet.get("dataset") or []
    if not whole:  # the output's columns count only for dataset-level entries (walking its schema costs)
        return per_field
    return per_field + len(whole) * len({*fields, *(n for n, _, _ in schema_columns(output))})


def kestra_namespace(name: str) -> str:
    """A Kestra namespace for an OpenLineage namespace (`my-airflow` stays, `dbt://proj` becomes `dbt.proj`)."""
    cleaned = _NAMESPACE_CHARS.sub(".", name).strip(".")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    cleaned = ".".join(seg for seg in cleaned.split(".") if seg)
    return (cleaned or "openlineage")[: limits.MAX_NAMESPACE]


#: hex digits of the digest that keeps a shortened or rewritten job name apart from every other one
_DIGEST = 12


def _identifier(name: str, salt: str, cleaned: str, limit: int) -> str:
    """`name` itself when it is already a valid identifier of `limit` characters or fewer (and `salt` is empty);
    otherwise a readable prefix of `cleaned` and a digest of the whole name (with `salt`), so two job names never
    become one identifier: an identifier is never silently cut or merged."""
    if not salt and cleaned == name and len(name) <= limit:
        return name
    digest = hashlib.sha256(f"{salt}\x00{name}".encode()).hexdigest()[:_DIGEST]
    return f"{cleaned[: limit - _DIGEST - 1].rstrip('._-') or 'job'}-{digest}"


def _salt(job_namespace: str) -> str:
    """The job namespace, when mapping it to a Kestra namespace loses something (`dbt://a` and `dbt.a` become one):
    it then tells the identifiers of the same job name in the two apart."""
    return "" if kestra_namespace(job_namespace) == job_namespace else job_namespace


def task_id(name: str, job_namespace: str = "") -> str:
    """The task id of an OpenLineage job (with its flow id, the task slot its runs share)."""
    cleaned = _TASK_CHARS.sub("_", name).strip("_") or "job"
    cleaned = cleaned if cleaned[0].isalnum() else "j" + cleaned
    return _identifier(name, _salt(job_namespace), cleaned, 100)


def flow_id(name: str, job_namespace: str = "") -> str:
    cleaned = _NAMESPACE_CHARS.sub("_", name).strip("._") or "job"
    cleaned = cleaned if cleaned[0].isalnum() else "j" + cleaned
    return _identifier(name, _salt(job_namespace), cleaned, 100)


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


def asset_declaration(dataset: dict[str, Any], tenant: str) -> dict[str, Any]:
    """An asset declaration (as in a task's `assets`) for a dataset."""
    facets = dataset.get("facets") or {}
    kestra = facets.get("kestra_asset") or {}
    decl: dict[str, Any] = {"id": asset_id(dataset, tenant)}
    if kestra.get("type"):  # a type is stated only by our own facet; a new output is a Dataset (see _merge_output)
        decl["type"] = kestra["type"]
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


def execution_body(view: RunView, tenant: str) -> dict[str, Any]:
    """The execution (resolved task runs) a run records once it has ended: its datasets' union, its state from
    its terminal event (COMPLETE is SUCCESS, FAIL is FAILED, ABORT is KILLED)."""
    inputs, outputs = view.inputs, view.outputs
    if len(inputs) + len(outputs) > MAX_DATASETS:
        raise BadRequest(f"more than {MAX_DATASETS} datasets in one run", field="inputs")
    task_run = view.run_facets.get("kestra_taskRun") or {}
    start, end = view.started(), view.end_time
    if task_run.get("startDate"):
        try:
            start = normalize_iso(task_run["startDate"])
        except ValueError as exc:
            raise BadRequest(f"run.facets.kestra_taskRun.startDate: {exc}", field="run.facets") from exc
    state = TERMINAL.get(view.terminal or "", "RUNNING")
    if state == "SUCCESS" and task_run.get("state") == "WARNING":
        state = "WARNING"
    job = view.job
    return {
        "id": view.runId,
        "namespace": run_namespace(view),
        "flowId": task_run.get("flowId") or flow_id(job["name"], job["namespace"]),
        "state": state,
        "startDate": min(start, end) if end else start,
        "endDate": end,
        # the job as its producer names it, whole (the flow and task ids may be shortened forms of it)
        "labels": {"openlineage.job.namespace": str(job["namespace"]), "openlineage.job.name": str(job["name"])},
        "taskRuns": [
            {
                "taskId": task_run.get("taskId") or task_id(job["name"], job["namespace"]),
                "value": task_run.get("value"),
                "assets": {
                    "inputs": [asset_declaration(d, tenant) for d in inputs],
                    "outputs": [asset_declaration(d, tenant) for d in outputs],
                },
            }
        ],
    }


def run_namespace(view: RunView) -> str:
    """The namespace a run's execution is in (the unit of access control for the run and what it records)."""
    task_run = view.run_facets.get("kestra_taskRun") or {}
    return task_run.get("namespace") or kestra_namespace(view.job["namespace"])


# -- columns --------------------------------------------------------------------------------------------


def schema_columns(dataset: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, type, description) of a dataset's `schema` facet; nested fields are named `parent.child`."""
    out: list[tuple[str, str, str]] = []

    def walk(fields: list[Any], prefix: str) -> None:
        for f in fields or []:
            if isinstance(f, dict) and f.get("name"):
                name = prefix + str(f["name"])
                out.append((name, str(f.get("type") or ""), str(f.get("description") or "")))
                walk(f.get("fields") or [], name + ".")

    walk(((dataset.get("facets") or {}).get("schema") or {}).get("fields") or [], "")
    return out


def _transformations(input_field: dict[str, Any], output_field: dict[str, Any]) -> str:
    """`TYPE/SUBTYPE` of each transformation, comma-separated (the facet's older `transformationType` when the
    input field names none); empty when the producer did not say."""
    kinds = [
        f"{t['type']!s}/{t['subtype']!s}" if t.get("subtype") else str(t["type"])
        for t in input_field.get("transformations") or ()
        if isinstance(t, dict) and t.get("type")
    ]
    if not kinds and output_field.get("transformationType"):
        kinds = [str(output_field["transformationType"])]
    return kinds[0] if len(kinds) == 1 else ",".join(dict.fromkeys(kinds))


def undeclared_sources(view: RunView) -> list[dict[str, Any]]:
    """Datasets a `columnLineage` facet reads from that the run does not declare as an input or output. A producer's
    SQL parser names a query's CTEs and subqueries so (dbt-ol: `source`, `renamed`, `customers`): they are not
    tables, so they make no asset and no table edge, and column edges from them are not recorded."""
    known = {(d["namespace"], d["name"]) for d in view.inputs + view.outputs}
    extra: dict[tuple[str, str], dict[str, Any]] = {}
    for output in view.outputs:
        for source in _lineage_sources(output):
            name = (str(source["namespace"]), str(source["name"]))
            if name not in known:
                extra.setdefault(name, {"namespace": name[0], "name": name[1]})
    return list(extra.values())


def _lineage_sources(output: dict[str, Any]) -> list[dict[str, Any]]:
    facet = (output.get("facets") or {}).get("columnLineage") or {}
    sources = [i for f in (facet.get("fields") or {}).values() for i in (f.get("inputFields") or [])]
    return [s for s in sources + list(facet.get("dataset") or []) if s.get("namespace") and s.get("name")]


@dataclass
class ColumnLineage:
    #: {"assetId", "name", "type", "description"}, one per column
    columns: list[dict[str, str]] = field(default_factory=list)
    #: {"sourceAsset", "sourceColumn", "targetAsset", "targetColumn", "transformations"}
    edges: list[dict[str, str]] = field(default_factory=list)


def column_lineage(view: RunView, tenant: str, *, max_edges: int = IngestLimits.column_edges) -> ColumnLineage:
    """The columns a run's datasets have (their `schema` facets) and which output column derives from which input
    column (`columnLineage` facets of its outputs; a facet's `dataset` entries feed every output column)."""
    asked = sum(_column_edge_count(output) for output in view.outputs)
    if asked > max_edges:
        raise column_edges_refused(asked, max_edges)
    datasets = view.inputs + view.outputs  # a column of an undeclared dataset (a CTE) is no column of an asset
    ids = {(d["namespace"], d["name"]): asset_id(d, tenant) for d in datasets}
    columns: dict[tuple[str, str], dict[str, str]] = {}

    def column(asset: str, name: str, type_: str = "", description: str = "") -> None:
        known = columns.setdefault((asset, name), {"assetId": asset, "name": name, "type": "", "description": ""})
        known["type"] = type_ or known["type"]
        known["description"] = description or known["description"]

    schemas = [schema_columns(d) for d in datasets]  # walked once: the outputs' are needed twice
    for d, schema in zip(datasets, schemas, strict=True):
        for name, type_, description in schema:
            column(ids[(d["namespace"], d["name"])], name, type_, description)
    edges: dict[tuple[str, str, str, str], str] = {}
    for output, schema in zip(view.outputs, schemas[len(view.inputs) :], strict=True):
        target = ids[(output["namespace"], output["name"])]
        facet = (output.get("facets") or {}).get("columnLineage") or {}
        fields = {str(k): v for k, v in (facet.get("fields") or {}).items() if isinstance(v, dict)}
        for out_name, out_field in fields.items():
            column(target, out_name)
            for source in out_field.get("inputFields") or []:
                _edge(edges, column, ids, source, target, out_name, _transformations(source, out_field))
        every_column = sorted({*fields, *(n for n, _, _ in schema)})
        for source in facet.get("dataset") or []:
            for out_name in every_column:
                _edge(edges, column, ids, source, target, out_name, _transformations(source, {}))
    return ColumnLineage(
        columns=list(columns.values()),
        edges=[
            {"sourceAsset": s, "sourceColumn": sc, "targetAsset": t, "targetColumn": tc, "transformations": tr}
            for (s, sc, t, tc), tr in edges.items()
        ],
    )


def _edge(
    edges: dict[tuple[str, str, str, str], str],
    column: Callable[[str, str], None],
    ids: dict[tuple[str, str], str],
    source: dict[str, Any],
    target: str,
    out_name: str,
    kinds: str,
) -> None:
    """One DERIVES edge source column -> output column; the same pair named twice keeps both transformations."""
    if not source.get("namespace") or not source.get("name") or not source.get("field"):
        return
    source_asset = ids.get((str(source["namespace"]), str(source["name"])))
    if source_asset is None:  # a dataset the run does not declare: see undeclared_sources
        return
    column(source_asset, str(source["field"]))
    key = (source_asset, str(source["field"]), target, out_name)
    edges[key] = _kinds_added(edges.get(key, ""), kinds)


@cached_if_short(maxsize=1024)
def _kinds_added(before: str, kinds: str) -> str:
    """The comma-separated transformations `before` and `kinds` name, each once, in order. Cached: a batch's edges
    name a handful of kinds again and again."""
    return ",".join(dict.fromkeys(k for k in [*before.split(","), *kinds.split(",")] if k))


#: The facet data-quality results come in. An execution document that holds it is stored as text, not packed, so that
#: cypher/asset_checks.cypher finds it by its text (app/services/recording.py: stored_document).
QUALITY_FACET = "dataQualityAssertions"


def quality_assertions(event: dict[str, Any], asset: str, tenant: str) -> list[dict[str, Any]]:
    """The `dataQualityAssertions` a run's event reports about the dataset that is `asset` (an input facet, where dbt
    puts its tests' results; a dataset facet as well)."""
    out: list[dict[str, Any]] = []
    for dataset in [*(event.get("inputs") or []), *(event.get("outputs") or [])]:
        if not isinstance(dataset, dict) or not dataset.get("namespace") or asset_id(dataset, tenant) != asset:
            continue
        for facets in (dataset.get("inputFacets") or {}, dataset.get("facets") or {}):
            facet = facets.get(QUALITY_FACET) if isinstance(facets, dict) else None
            assertions = facet.get("assertions") if isinstance(facet, dict) else None
            out += [a for a in assertions or [] if isinstance(a, dict) and a.get("assertion")]
    return out
