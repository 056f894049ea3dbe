"""OpenLineage out (the pull feed) and in (ingest), through the API."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

from litestar.testing import TestClient

from tests.api.test_assets_api import problem
from tests.api.test_expressions_api import record_reference_flows


def pull_all(client: TestClient, base: str, limit: int = 1000) -> list[dict]:
    events: list[dict] = []
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{base}/openlineage/events", params=params).json()
        events += page["events"]
        cursor = page["nextCursor"]
        if not cursor:
            return events


def test_pull_feed_validates_and_describes_task_runs(client: TestClient, base: str, ol_spec) -> None:  # type: ignore[no-untyped-def]
    record_reference_flows(client, base)
    events = pull_all(client, base)
    assert events
    for event in events:
        ol_spec.assert_valid(event)
    ends = [e for e in events if e["eventType"] == "COMPLETE"]
    starts = [e for e in events if e["eventType"] == "START"]
    assert len(ends) == len(starts) == 8  # task runs: pipeline_with_assets 1, data_pipeline 3, upload 2, infra 2
    by_job = {e["job"]["name"]: e for e in ends}
    staging = by_job["data_pipeline_assets.create_staging_layer_asset"]
    assert staging["job"]["namespace"] == "kestra.company.data"
    assert [d["name"] for d in staging["inputs"]] == ["sample_data.nyc.taxi"]
    assert [d["name"] for d in staging["outputs"]] == ["trips"]
    parent = staging["run"]["facets"]["parent"]
    assert parent["job"] == {"namespace": "kestra.company.data", "name": "data_pipeline_assets", "facets": {}}
    uuid.UUID(staging["run"]["runId"])
    starts_times = [e["eventTime"] for e in starts]
    assert starts_times == sorted(starts_times)  # oldest execution first
    # stable runIds: the same feed twice names the same runs
    assert [e["run"]["runId"] for e in pull_all(client, base)] == [e["run"]["runId"] for e in events]
    # paging by cursor gives the same events as one page
    assert [e["run"]["runId"] for e in pull_all(client, base, limit=2)] == [e["run"]["runId"] for e in events]


def test_pull_window_and_bad_parameters(client: TestClient, base: str) -> None:
    body = {
        "namespace": "company.team",
        "flowId": "f",
        "taskRuns": [{"taskId": "t", "assets": {"inputs": [{"id": "a"}], "outputs": [{"id": "b"}]}}],
    }
    client.post(f"{base}/executions", json={**body, "id": "old", "startDate": "2025-01-01T00:00:00Z"})
    client.post(f"{base}/executions", json={**body, "id": "new", "startDate": "2026-01-01T00:00:00Z"})
    recent = client.get(f"{base}/openlineage/events", params={"after": "2025-06-01T00:00:00Z"}).json()["events"]
    assert {e["run"]["facets"]["kestra_taskRun"]["executionId"] for e in recent} == {"new"}
    problem(client.get(f"{base}/openlineage/events", params={"cursor": "garbage"}), 422, "cursor")
    problem(client.get(f"{base}/openlineage/events", params={"limit": 0}), 400, "limit")


def run_event(
    job: str, inputs: list[dict], outputs: list[dict], event_type: str = "COMPLETE", run_id: str | None = None
) -> dict:
    return {
        "eventType": event_type,
        "eventTime": "2026-03-01T10:00:00.000Z",
        "producer": "https://github.com/apache/airflow",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": run_id or str(uuid.uuid4()), "facets": {}},
        "job": {"namespace": "airflow-prod", "name": job, "facets": {}},
        "inputs": inputs,
        "outputs": outputs,
    }


def test_ingest_run_events_from_any_producer(client: TestClient, base: str) -> None:
    tenant = base.split("/")[3]
    event = run_event(
        "etl_dag.load_orders",
        [{"namespace": "postgres://db:5432", "name": "shop.public.orders", "facets": {}}],
        [{"namespace": "s3://lake", "name": "orders/2026", "facets": {}}],
    )
    r = client.post(f"/api/v1/{tenant}/openlineage/lineage", json=event)
    assert r.status_code == 200 and r.json()["recorded"] is True
    src, dst = "postgres://db:5432/shop.public.orders", "s3://lake/orders/2026"
    assert sorted(r.json()["assets"]) == [src, dst]
    impact = client.get(f"{base}/assets/{src.replace('/', '%2F')}/impact").json()
    assert [(i["id"], i["distance"]) for i in impact["results"]] == [(dst, 1)]
    assert client.get(f"{base}/assets/{dst.replace('/', '%2F')}").json()["namespace"] == "airflow-prod"
    again = client.post(f"/api/v1/{tenant}/openlineage/lineage", json=event)
    assert again.status_code == 200 and again.json()["recorded"] is False
    stats_runs = client.get(f"{base}/executions/{event['run']['runId']}").json()
    assert stats_runs["openlineage"]["job"]["name"] == "etl_dag.load_orders"
    start = client.post(f"/api/v1/{tenant}/openlineage/lineage", json=run_event("x", [], [], "START"))
    assert start.status_code == 200 and start.json()["recorded"] is False


def test_default_tenant_path(client: TestClient) -> None:
    event = run_event("job", [], [{"namespace": "file", "name": "/tmp/default-tenant-check", "facets": {}}])
    r = client.post("/api/v1/lineage", json=event)
    assert r.status_code == 200 and r.json()["recorded"]
    assert client.get("/api/v1/main/assets/file%2F%2Ftmp%2Fdefault-tenant-check").status_code == 200


def test_ingest_keeps_real_world_facets(client: TestClient, base: str, shared_dir: Path) -> None:
    tenant = base.split("/")[3]
    examples = sorted((shared_dir / "openlineage-spec" / "tests").glob("*/*.json"))
    assert len(examples) > 30
    run_facets, job_facets, dataset_facets, input_facets, output_facets = {}, {}, {}, {}, {}
    for path in examples:
        facet = json.loads(path.read_text())
        kind = path.parent.name
        target = (
            input_facets
            if kind.endswith("InputDatasetFacet")
            else output_facets
            if kind.endswith("OutputDatasetFacet")
            else dataset_facets
            if kind.endswith("DatasetFacet")
            else job_facets
            if kind.endswith("JobFacet")
            else run_facets
        )
        for name, value in facet.items():
            target.setdefault(name, value)
    event = run_event(
        "spark.job",
        [{"namespace": "hdfs://nn:8020", "name": "/raw/events", "facets": dataset_facets, "inputFacets": input_facets}],
        [
            {
                "namespace": "hdfs://nn:8020",
                "name": "/clean/events",
                "facets": dataset_facets,
                "outputFacets": output_facets,
            }
        ],
    )
    event["run"]["facets"] = run_facets
    event["job"]["facets"] = job_facets
    r = client.post(f"/api/v1/{tenant}/openlineage/lineage", json=event)
    assert r.status_code == 200, r.text
    kept = client.get(f"{base}/executions/{event['run']['runId']}").json()["openlineage"]
    assert kept["run"]["facets"].keys() == run_facets.keys() and kept["job"]["facets"] == job_facets
    assert kept["inputs"][0]["facets"] == dataset_facets


def test_malformed_events_name_the_schema_path(client: TestClient, base: str) -> None:
    tenant = base.split("/")[3]
    url = f"/api/v1/{tenant}/openlineage/lineage"
    good = run_event("j", [], [])
    cases = [
        ({k: v for k, v in good.items() if k != "producer"}, "producer"),
        ({**good, "run": {"runId": "not-a-uuid"}}, "run/runId"),
        ({**good, "job": {"namespace": "n"}}, "job"),
        ({**good, "eventType": "DONE"}, "eventType"),
    ]
    broken_facet = copy.deepcopy(good)
    broken_facet["outputs"] = [{"namespace": "n", "name": "d", "facets": {"custom": {"x": 1}}}]
    cases.append((broken_facet, "outputs/0/facets/custom"))
    for event, path in cases:
        body = problem(client.post(url, json=event), 400)
        assert path in body["path"] or path in body["detail"], (path, body)
        assert body["schemaPath"]
    problem(client.post(url, content=b"{nope", headers={"content-type": "application/json"}), 400, "body")
