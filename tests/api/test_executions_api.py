"""Executions and flows over HTTP: the reference scenarios, and the errors a flow author meets."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.api.test_assets_api import problem
from tests.contract.helpers import flow_yaml

YAML = {"content-type": "application/x-yaml"}


def test_reference_scenario(client: TestClient, base: str) -> None:
    r = client.post(
        f"{base}/executions",
        json={"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Data", "Finance"]}, "id": "infra-1"},
    )
    assert r.status_code == 201, r.text
    assert [t["outputs"] for t in r.json()["taskRuns"]] == [["kestra-data-bucket"], ["kestra-finance-bucket"]]
    replay = client.post(
        f"{base}/executions",
        json={"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Data", "Finance"]}, "id": "infra-1"},
    )
    assert replay.status_code == 200 and replay.json() == r.json()
    up = client.post(f"{base}/executions", json={"flow": flow_yaml("upload_file")})
    assert up.status_code == 201
    bucket = client.get(f"{base}/assets/kestra-data-bucket").json()
    assert bucket["type"] == "AWS_BUCKET" and bucket["metadata"]["address"] == "s3://kestra-data-bucket"
    assert bucket["createdBy"] == "infra-1"
    usages = client.get(f"{base}/assets/kestra-data-bucket/usages").json()
    assert usages["total"] == 2
    assert {(u["relation"], u["flowId"]) for u in usages["results"]} == {
        ("WROTE", "infra_assets"),
        ("READ", "upload_file"),
    }
    assert client.get(f"{base}/executions/infra-1").json() == r.json()
    problem(client.get(f"{base}/executions/nope"), 404, "id")


def test_stored_flow_then_execution_by_name(client: TestClient, base: str) -> None:
    put = client.put(f"{base}/flows", content=flow_yaml("data_pipeline_assets"), headers=YAML)
    assert put.status_code == 201 and put.json()["revision"] == 1
    assert client.put(f"{base}/flows", content=flow_yaml("data_pipeline_assets"), headers=YAML).status_code == 200
    got = client.get(f"{base}/flows/kestra.company.data/data_pipeline_assets").json()
    assert got["source"] == flow_yaml("data_pipeline_assets") and got["revision"] == 1
    assert "create_mart_layer_asset" in got["taskIds"]
    r = client.post(f"{base}/executions", json={"namespace": "kestra.company.data", "flowId": "data_pipeline_assets"})
    assert r.status_code == 201 and r.json()["flowRevision"] == 1
    assert client.get(f"{base}/assets/avg_trip_distance").json()["metadata"] == {"model_layer": "mart"}
    problem(client.post(f"{base}/executions", json={"namespace": "kestra.company.data", "flowId": "nope"}), 404)
    revisions = client.get(f"{base}/flows/kestra.company.data/data_pipeline_assets/revisions").json()
    assert [r["revision"] for r in revisions] == [1]


def test_resolved_task_runs_form(client: TestClient, base: str) -> None:
    body = {
        "namespace": "company.team",
        "flowId": "etl",
        "taskRuns": [
            {
                "taskId": "load",
                "value": "2026-01",
                "assets": {"inputs": [{"id": "src"}], "outputs": [{"id": "dst", "type": "custom"}]},
            }
        ],
    }
    r = client.post(f"{base}/executions", json=body)
    assert r.status_code == 201
    assert r.json()["taskRuns"] == [{"taskId": "load", "value": "2026-01", "inputs": ["src"], "outputs": ["dst"]}]
    assert client.get(f"{base}/assets/src").json()["type"] == "io.kestra.core.models.assets.External"


def test_flow_errors_name_the_path_and_line(client: TestClient, base: str) -> None:
    flow = flow_yaml("data_pipeline_assets").replace("id: avg_{{taskrun.value}}", "id: avg_{{taskrun.valeu}}")
    body = problem(
        client.post(f"{base}/executions", json={"flow": flow}), 422, "tasks[1].tasks[0].assets.outputs[0].id"
    )
    assert "line 33" in body["detail"] and "unknown variable taskrun.valeu" in body["detail"]
    assert body["line"] == 33
    broken = problem(client.post(f"{base}/executions", json={"flow": "id: x\nnamespace: y\ntasks: [\n"}), 422)
    assert "line" in broken["detail"]
    problem(client.post(f"{base}/executions", json={"flow": flow_yaml("infra_assets")}), 422, "inputs.teams")
    problem(
        client.post(f"{base}/executions", json={"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Nope"]}}),
        422,
        "inputs.teams",
    )
    problem(
        client.post(f"{base}/executions", json={"flow": flow_yaml("upload_file"), "inputs": {"x": 1}}), 422, "inputs.x"
    )
    problem(client.put(f"{base}/flows", content="a: &x [1]\nb: *x\n", headers=YAML), 422, "yaml")
    problem(client.put(f"{base}/flows", content="{}", headers={"content-type": "application/json"}), 400)


def test_secrets_are_never_evaluated(client: TestClient, base: str) -> None:
    flow = """
id: s
namespace: company.team
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: "{{ secret('A') }}"
    assets:
      outputs:
        - id: "table-{{ secret('DB_PASSWORD') }}"
"""
    body = problem(client.post(f"{base}/executions", json={"flow": flow}), 422, "tasks[0].assets.outputs[0].id")
    assert "secret" in body["detail"]
    # a secret elsewhere in the flow (pluginDefaults, task properties) is kept as text, never evaluated
    ok = client.post(f"{base}/executions", json={"flow": flow_yaml("data_pipeline_assets")})
    assert ok.status_code == 201


def test_execution_body_errors(client: TestClient, base: str) -> None:
    problem(client.post(f"{base}/executions", json={"flowId": "x"}), 422, "namespace")
    problem(client.post(f"{base}/executions", json={"flow": "id: a", "taskRuns": []}), 422, "flow")
    problem(
        client.post(f"{base}/executions", json={"namespace": "a", "flowId": "b", "taskRuns": [], "state": "DONE"}),
        400,
        "state",
    )
    problem(
        client.post(
            f"{base}/executions", json={"namespace": "a", "flowId": "b", "taskRuns": [], "startDate": "yesterday"}
        ),
        422,
        "startDate",
    )
    problem(
        client.post(f"{base}/executions", json={"namespace": "a", "flowId": "b", "id": "bad id!", "taskRuns": []}),
        400,
        "id",
    )
