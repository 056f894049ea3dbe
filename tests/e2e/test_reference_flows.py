"""The reference flows recorded through a running `lineage serve`, read back over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.contract.helpers import flow_yaml
from tests.e2e.server import Server


def test_reference_flows_through_a_running_server(tmp_path: Path, serve_flags: list[str]) -> None:
    with Server(tmp_path / "data", *serve_flags) as server:
        api = httpx.Client(base_url=f"{server.url}/api/v1/main", timeout=10)
        assert (
            api.post(
                "/executions", json={"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Data", "Finance"]}}
            ).status_code
            == 201
        )
        assert api.post("/executions", json={"flow": flow_yaml("upload_file")}).status_code == 201
        assert (
            api.put(
                "/flows", content=flow_yaml("data_pipeline_assets"), headers={"content-type": "application/x-yaml"}
            ).status_code
            == 201
        )
        assert (
            api.post(
                "/executions", json={"namespace": "kestra.company.data", "flowId": "data_pipeline_assets"}
            ).status_code
            == 201
        )
        listing = api.get("/assets", params={"namespace": "kestra.company.data", "size": 100}).json()
        assert {a["id"]: a["type"] for a in listing["results"]} == {
            "avg_passenger_count": "io.kestra.plugin.ee.assets.Table",
            "avg_trip_distance": "io.kestra.plugin.ee.assets.Table",
            "raw_customer": "io.kestra.plugin.ee.assets.File",
            "sample_data.nyc.taxi": "io.kestra.core.models.assets.External",
            "trips": "io.kestra.plugin.ee.assets.Table",
        }
        marts = api.get("/assets", params={"metadata.model_layer": "mart"}).json()
        assert sorted(a["id"] for a in marts["results"]) == ["avg_passenger_count", "avg_trip_distance"]
        usages = api.get("/assets/kestra-data-bucket/usages").json()["results"]
        assert [(u["relation"], u["flowId"], u["taskId"]) for u in usages] == [
            ("READ", "upload_file", "aws_upload"),
            ("WROTE", "infra_assets", "create_bucket"),
        ]
