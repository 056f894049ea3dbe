"""`assets()` expressions and input dropdowns, on the reference flows."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.api.test_assets_api import problem
from tests.contract.helpers import flow_yaml

YAML = {"content-type": "application/x-yaml"}


def record_reference_flows(client: TestClient, base: str) -> None:
    for name in ("pipeline_with_assets", "data_pipeline_assets", "upload_file"):
        assert client.post(f"{base}/executions", json={"flow": flow_yaml(name)}).status_code == 201
    assert (
        client.post(
            f"{base}/executions", json={"flow": flow_yaml("infra_assets"), "inputs": {"teams": ["Data", "Finance"]}}
        ).status_code
        == 201
    )


def value(client: TestClient, base: str, expression: str):  # type: ignore[no-untyped-def]
    r = client.post(f"{base}/expressions", json={"expression": expression})
    assert r.status_code == 200, r.text
    return r.json()


def test_reference_examples(client: TestClient, base: str) -> None:
    record_reference_flows(client, base)
    tables = value(client, base, '{{ assets(type="io.kestra.core.models.assets.Table") | jq(".[].id") }}')
    assert tables["value"] == ["avg_passenger_count", "avg_trip_distance", "trips"]
    assert tables["rendered"] == '["avg_passenger_count","avg_trip_distance","trips"]'
    same = value(client, base, '{{ assets(type="io.kestra.plugin.ee.assets.Table") | jq(".[].id") }}')
    assert same["value"] == tables["value"]
    by_ns = value(
        client,
        base,
        '{{ assets(type="io.kestra.core.models.assets.Table", namespace="kestra.company.data") | jq(".[].id") }}',
    )
    assert by_ns["value"] == ["avg_passenger_count", "avg_trip_distance", "trips"]
    # pipeline_with_assets wrote `trips` in company.team; data_pipeline_assets then moved it (one id per tenant)
    assert value(client, base, '{{ assets(namespace="company.team") | jq(".[].id") }}')["value"] == []
    marts = value(client, base, '{{ assets(metadata={"model_layer": "mart"}) | jq(".[].id") }}')
    assert marts["value"] == ["avg_passenger_count", "avg_trip_distance"]
    everything = value(client, base, "{{ assets() | jq('.[] | {id: .id, type: .type, metadata: .metadata}') }}")
    by_id = {a["id"]: a for a in everything["value"]}
    assert set(by_id) == {
        "avg_passenger_count",
        "avg_trip_distance",
        "trips",
        "sample_data.nyc.taxi",
        "raw_customer",
        "kestra-data-bucket",
        "kestra-finance-bucket",
    }
    assert by_id["kestra-data-bucket"] == {
        "id": "kestra-data-bucket",
        "type": "AWS_BUCKET",
        "metadata": {"provider": "s3", "address": "s3://kestra-data-bucket"},
    }
    full = value(client, base, "{{ assets(type='AWS_BUCKET') }}")["value"]
    assert set(full[0]) >= {"tenantId", "namespace", "id", "type", "metadata", "created", "updated", "deleted"}
    assert value(client, base, "{{ assets() | length }} assets")["rendered"] == "7 assets"


def test_sandbox_and_errors(client: TestClient, base: str) -> None:
    client.put(f"{base}/assets/a", json={"type": "x"})
    for expression, fragment in [
        ("{{ assets().__class__.__mro__ }}", "unsafe"),
        ("{{ assets(kind='x') }}", "assets() takes"),
        ("{{ assets() | jq('def f: f; f') }}", "ran longer"),
        ("{{ assets() | jq('.[') }}", "syntax error"),
        ("{{ nope }}", "unknown variable nope"),
        ("{{ secret('X') }}", "secret"),
        ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", "time limit"),
        ("{{ 'x' * 2000000 }}", "sandbox"),
        ("{{ assets( }}", "syntax error"),
    ]:
        body = problem(client.post(f"{base}/expressions", json={"expression": expression}), 422, "expression")
        assert fragment in body["detail"], (expression, body["detail"])
    # after a runaway program the helper is replaced and jq works again
    assert value(client, base, "{{ assets() | jq('.[].id') }}")["value"] == ["a"]


def test_input_dropdowns(client: TestClient, base: str) -> None:
    record_reference_flows(client, base)
    assert client.put(f"{base}/flows", content=flow_yaml("select_assets"), headers=YAML).status_code == 201
    inputs = client.get(f"{base}/flows/company.team/select_assets/inputs").json()
    assert inputs == [
        {
            "id": "assets",
            "type": "MULTISELECT",
            "values": ["avg_passenger_count", "avg_trip_distance", "trips"],
            "expression": '{{ assets(type="io.kestra.core.models.assets.Table") | jq(".[].id") }}',
        }
    ]
    infra = client.put(f"{base}/flows", content=flow_yaml("infra_assets"), headers=YAML)
    assert infra.status_code in (200, 201)
    static = client.get(f"{base}/flows/kestra.company.infra/infra_assets/inputs").json()
    assert static[0]["values"] == ["Business", "Data", "Finance", "Product"]
    problem(client.get(f"{base}/flows/company.team/nope/inputs"), 404)
