"""Events from the pull feed, posted back into a fresh tenant with openlineage-python's OpenLineageClient and
HttpTransport against a running server, reproduce the same impact and upstream answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.transport.http import HttpConfig, HttpTransport

from app.timeutil import to_iso
from tests.contract.helpers import flow_yaml
from tests.e2e.server import Server


def typed(event: dict[str, Any]) -> RunEvent:
    """The pulled JSON as openlineage-python's own event class (facets travel as they are)."""

    def datasets(items: list[dict[str, Any]], cls: type) -> list[Any]:
        return [cls(namespace=d["namespace"], name=d["name"], facets=d.get("facets") or {}) for d in items]

    return RunEvent(
        eventType=RunState(event["eventType"]),
        eventTime=event["eventTime"],
        producer=event["producer"],
        run=Run(runId=event["run"]["runId"], facets=event["run"].get("facets") or {}),
        job=Job(
            namespace=event["job"]["namespace"], name=event["job"]["name"], facets=event["job"].get("facets") or {}
        ),
        inputs=datasets(event.get("inputs") or [], InputDataset),
        outputs=datasets(event.get("outputs") or [], OutputDataset),
    )


def answers(api: httpx.Client, assets: list[str]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    out = {}
    for asset in assets:
        for kind in ("impact", "upstream"):
            response = api.get(f"/assets/{asset}/{kind}", params={"size": 1000})
            assert response.status_code == 200, (asset, kind, response.text)
            page = response.json()
            out[(asset, kind)] = [(r["id"], r["distance"]) for r in page["results"]]
    return out


def test_pull_then_ingest_reproduces_impact(tmp_path: Path, serve_flags: list[str]) -> None:
    with Server(tmp_path / "data", *serve_flags) as server:
        source = httpx.Client(base_url=f"{server.url}/api/v1/source", timeout=30)
        for name in ("data_pipeline_assets", "upload_file", "pipeline_with_assets"):
            assert source.post("/executions", json={"flow": flow_yaml(name)}).status_code == 201
        assert (
            source.post(
                "/executions", json={"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Data", "Finance"]}}
            ).status_code
            == 201
        )
        # a later run of the staging task that stops reading the taxi table: current lineage must follow it (a
        # minute ahead of the flows' runs, which started now; within the clock skew the server accepts)
        later = to_iso(datetime.now(UTC) + timedelta(minutes=1))
        assert (
            source.post(
                "/executions",
                json={
                    "namespace": "kestra.company.data",
                    "flowId": "data_pipeline_assets",
                    "startDate": later,
                    "taskRuns": [
                        {
                            "taskId": "create_staging_layer_asset",
                            "assets": {"inputs": [{"id": "raw_customer"}], "outputs": [{"id": "trips"}]},
                        }
                    ],
                },
            ).status_code
            == 201
        )
        events = []
        cursor = None
        while True:
            page = source.get(
                "/openlineage/events", params={"limit": 3, **({"cursor": cursor} if cursor else {})}
            ).json()
            events += page["events"]
            cursor = page["nextCursor"]
            if not cursor:
                break
        client = OpenLineageClient(
            transport=HttpTransport(HttpConfig(url=server.url, endpoint="api/v1/copy/openlineage/lineage", timeout=10))
        )
        for event in events:
            client.emit(typed(event))
        copy = httpx.Client(base_url=f"{server.url}/api/v1/copy", timeout=30)
        assets = ["sample_data.nyc.taxi", "trips", "avg_trip_distance", "kestra-data-bucket", "raw_customer"]
        expected = answers(source, assets)
        assert expected[("trips", "upstream")] == [("raw_customer", 1), ("kestra-data-bucket", 2)]
        assert expected[("sample_data.nyc.taxi", "impact")] == []
        assert answers(copy, assets) == expected
        bucket = copy.get("/assets/kestra-data-bucket").json()
        assert bucket["type"] == "AWS_BUCKET" and bucket["metadata"]["provider"] == "s3"
