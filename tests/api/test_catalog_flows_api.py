"""Flows from Kestra's catalog and docs, recorded as a new user would post them: task-scoped variables, nested
ForEach loops and the Pebble real flows use (tests/data/flows: register_db_server, export_orders_csv,
argocd_wave_rollout, daily_partition; each names its source)."""

from __future__ import annotations

import json

from litestar.testing import TestClient

from tests.api.test_assets_api import problem
from tests.contract.helpers import flow_yaml


def record(client: TestClient, base: str, **body: object) -> dict:
    r = client.post(f"{base}/executions", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_registering_a_vm_as_the_lock_how_to_does(client: TestClient, base: str) -> None:
    record(client, base, flow=flow_yaml("register_db_server"))
    vm = client.get(f"{base}/assets/vm.db-prod-01").json()
    assert (vm["type"], vm["namespace"]) == ("io.kestra.plugin.ee.assets.VM", "company.infra")
    assert vm["metadata"] == {"provider": "aws", "region": "eu-west-1", "state": "running"}


def test_task_variables_render_when_the_request_carries_them(client: TestClient, base: str) -> None:
    run = {
        "id": "4hTtMdXr2VJm0cWlDq3aZb",
        "taskId": "extract",
        "state": {"current": "SUCCESS"},  # the rest of Kestra's task run is accepted and ignored
        "workingDir": "/tmp/kestra-wd/tmp/5Tq2",
        "outputs": {"outputFiles": {"orders.csv": "kestra:///company/analytics/orders.csv"}},
    }
    flow = flow_yaml("export_orders_csv")
    done = record(client, base, flow=flow, taskRunList=[run], startDate="2026-11-02T08:00:00Z")
    assert done["notes"] == []
    asset = client.get(f"{base}/assets/orders_csv").json()
    assert asset["displayName"] == "Orders export 2026-11-02"
    assert asset["metadata"] == {
        "path": "/tmp/kestra-wd/tmp/5Tq2/orders.csv",
        "taskRun": "4hTtMdXr2VJm0cWlDq3aZb",
        "task": "extract",
        "uri": "kestra:///company/analytics/orders.csv",
        "owner": "analytics",
    }


def test_task_variables_missing_leave_out_only_those_metadata_entries(client: TestClient, base: str) -> None:
    done = record(client, base, flow=flow_yaml("export_orders_csv"))
    asset = client.get(f"{base}/assets/orders_csv").json()
    assert asset["metadata"] == {"task": "extract", "owner": "analytics"}
    assert len(done["notes"]) == 3
    assert any("metadata.path" in n and "workingDir" in n for n in done["notes"])
    assert any("metadata.taskRun" in n and "taskrun.id" in n for n in done["notes"])
    assert any("metadata.uri" in n and "outputs.extract" in n for n in done["notes"])
    assert client.get(f"{base}/assets/raw.orders/usages").json()["total"] == 1  # the lineage is recorded


def test_an_id_that_cannot_be_rendered_is_still_refused(client: TestClient, base: str) -> None:
    flow = flow_yaml("export_orders_csv").replace("- id: orders_csv", '- id: "{{ workingDir }}"')
    problem(client.post(f"{base}/executions", json={"flow": flow}), 422, "tasks[0].assets.outputs[0].id")


def test_nested_foreach_over_the_outer_item(client: TestClient, base: str) -> None:
    done = record(client, base, flow=flow_yaml("argocd_wave_rollout"))
    wave1, wave2 = json.dumps(["payments-api", "ledger"], separators=(",", ":")), '["checkout-web"]'
    assert [(t["taskId"], json.loads(t["value"]), t["outputs"]) for t in done["taskRuns"]] == [
        ("sync", [wave1, "payments-api"], ["argocd.payments-api"]),  # a run's value: the chain of loop items
        ("sync", [wave1, "ledger"], ["argocd.ledger"]),
        ("sync", [wave2, "checkout-web"], ["argocd.checkout-web"]),
    ]
    ledger = client.get(f"{base}/assets/argocd.ledger").json()
    assert ledger["metadata"] == {"wave": wave1, "revision": "unknown"}
    assert ledger["type"] == "ARGO_APPLICATION"


def test_pebble_of_real_flows(client: TestClient, base: str) -> None:
    done = record(client, base, flow=flow_yaml("daily_partition"), startDate="2026-11-02T23:30:00Z")
    assert done["taskRuns"][0]["inputs"] == ["staging"]
    (out,) = done["taskRuns"][0]["outputs"]
    assert out.startswith("facts_") and len(out) == len("facts_20261101")
    table = client.get(f"{base}/assets/{out}").json()
    assert table["namespace"] == "company.warehouse.prod"
    assert table["description"] == "all regions ~ finance"
    assert table["metadata"] == {
        "region": "",
        "tags": "finance,daily",
        "tagCount": "2",
        "label": "env-PROD",
        "owner": "data-platform",
        "day": "2026-11-02",
    }
    dev = record(client, base, flow=flow_yaml("daily_partition"), inputs={"env": "dev", "region": "eu"})
    assert dev["taskRuns"][0]["inputs"] == ["staging_dev"]
    assert client.get(f"{base}/assets/{dev['taskRuns'][0]['outputs'][0]}").json()["metadata"]["region"] == "eu"
