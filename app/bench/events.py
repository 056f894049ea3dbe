"""Synthetic OpenLineage history for `lineage bench --events N`: what an Airflow + dbt deployment sends over weeks.

Jobs form layers (raw -> staging -> mart); each job reads two datasets of the layer before and writes one of its
own. Every job runs again and again (daily runs): a START event with its inputs, then a COMPLETE event with its
output, that output's `schema` facet and a `columnLineage` facet (each output column from one or two input
columns, with transformation types). One run in twenty fails (FAIL). Runs name their DAG run as `parent`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

PRODUCER = "https://github.com/apache/airflow/tree/providers-openlineage/2.3.0"
RUN_EVENT = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
_FACET = "https://openlineage.io/spec/facets/1-2-0/{}.json#/$defs/{}"
COLUMNS = 8
NAMESPACE = "postgres://warehouse:5432"
_UUIDS = uuid.UUID("0d6c1f3e-8a4b-4c2d-9e7f-1a2b3c4d5e6f")


def _facet(name: str, **body: Any) -> dict[str, Any]:
    return {"_producer": PRODUCER, "_schemaURL": _FACET.format(name, name), **body}


def _schema() -> dict[str, Any]:
    return _facet("SchemaDatasetFacet", fields=[{"name": f"c{i}", "type": "VARCHAR"} for i in range(COLUMNS)])


def _column_lineage(sources: list[str], rng: random.Random) -> dict[str, Any]:
    fields = {}
    for i in range(COLUMNS):
        picks = rng.sample(sources, k=min(len(sources), rng.choice((1, 1, 2))))
        kinds = [("DIRECT", "IDENTITY"), ("DIRECT", "TRANSFORMATION"), ("DIRECT", "AGGREGATION")]
        fields[f"c{i}"] = {
            "inputFields": [
                {
                    "namespace": NAMESPACE,
                    "name": s,
                    "field": f"c{rng.randrange(COLUMNS)}",
                    "transformations": [dict(zip(("type", "subtype"), rng.choice(kinds), strict=True))],
                }
                for s in picks
            ]
        }
    return _facet("ColumnLineageDatasetFacet", fields=fields)


def generate(events: int, seed: int = 42) -> Iterator[dict[str, Any]]:
    """About `events` events (START and COMPLETE/FAIL of events/2 runs), oldest first."""
    rng = random.Random(seed)
    runs = max(1, events // 2)
    jobs = max(30, runs // 25)
    layers = [f"raw.t{i}" for i in range(max(10, jobs // 3))]
    plan: list[tuple[str, list[str], str]] = []  # job, inputs, output
    previous = layers
    for layer in ("staging", "mart", "report"):
        current = []
        for j in range(max(1, jobs // 3)):
            output = f"{layer}.t{j}"
            plan.append((f"dbt.{layer}.t{j}", rng.sample(previous, k=min(2, len(previous))), output))
            current.append(output)
        previous = current
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(runs):
        job, inputs, output = plan[n % len(plan)]
        day = n // len(plan)
        t0 = start + timedelta(days=day, seconds=(n % len(plan)) * 7)
        run_id = str(uuid.uuid5(_UUIDS, f"{job}/{day}"))
        parent = {
            "run": {"runId": str(uuid.uuid5(_UUIDS, f"dag/{day}"))},
            "job": {"namespace": "airflow-prod", "name": "warehouse_dag"},
        }
        common = {
            "producer": PRODUCER,
            "schemaURL": RUN_EVENT,
            "job": {"namespace": "airflow-prod", "name": job, "facets": {}},
        }
        yield {
            **common,
            "eventType": "START",
            "eventTime": t0.isoformat().replace("+00:00", "Z"),
            "run": {"runId": run_id, "facets": {"parent": _facet("ParentRunFacet", **parent)}},
            "inputs": [{"namespace": NAMESPACE, "name": i, "facets": {}} for i in inputs],
            "outputs": [],
        }
        yield {
            **common,
            "eventType": "FAIL" if rng.random() < 0.05 else "COMPLETE",
            "eventTime": (t0 + timedelta(seconds=5)).isoformat().replace("+00:00", "Z"),
            "run": {"runId": run_id, "facets": {}},
            "inputs": [],
            "outputs": [
                {
                    "namespace": NAMESPACE,
                    "name": output,
                    "facets": {"schema": _schema(), "columnLineage": _column_lineage(inputs, rng)},
                }
            ],
        }
