"""Recording executions of the reference flows, on every backend."""

from __future__ import annotations

import json

import msgspec
import pytest

from app.domain.access import Scope, open_scope
from app.domain.assets import AssetIn
from app.domain.keys import execution_key
from app.domain.types import EXTERNAL, FILE, TABLE
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.packing import PREFIX, unpack
from app.services import assets as assets_svc
from app.services.executions import get_execution
from app.services.flows import put_flow
from app.services.stats import TenantStats, tenant_stats
from app.services.usages import asset_usages
from app.store.base import GraphStore, Tx
from tests.contract.helpers import SANDBOX, flow_yaml, record, run


def asset(store: GraphStore, tenant: str, asset_id: str):  # type: ignore[no-untyped-def]
    return assets_svc.get_asset(store, open_scope(tenant), asset_id)


def test_infra_then_upload_file(store: GraphStore, tenant: str) -> None:
    infra, created = record(store, tenant, flow="infra_assets", inputs={"teams": ["Data", "Finance"]})
    assert created
    assert [(r.taskId, r.value, r.outputs) for r in infra.taskRuns] == [
        ("create_bucket", "Data", ["kestra-data-bucket"]),
        ("create_bucket", "Finance", ["kestra-finance-bucket"]),
    ]
    for team in ("data", "finance"):
        bucket = asset(store, tenant, f"kestra-{team}-bucket")
        assert bucket.type == "AWS_BUCKET"
        assert bucket.metadata == {"provider": "s3", "address": f"s3://kestra-{team}-bucket"}
        assert bucket.namespace == "kestra.company.infra"
        assert bucket.createdBy == infra.id
    upload, _ = record(store, tenant, flow="upload_file")
    assert [(r.taskId, r.inputs, r.outputs) for r in upload.taskRuns] == [
        ("download", [], []),
        ("aws_upload", ["kestra-data-bucket"], ["raw_customer"]),
    ]
    bucket = asset(store, tenant, "kestra-data-bucket")
    assert bucket.type == "AWS_BUCKET" and bucket.metadata["provider"] == "s3"  # reading changes nothing
    raw = asset(store, tenant, "raw_customer")
    assert raw.type == FILE and raw.metadata == {"owner": "data"} and raw.namespace == "kestra.company.data"
    usages = asset_usages(store, open_scope(tenant), "kestra-data-bucket")
    assert usages.total == 2
    assert sorted((u.relation, u.flowId, u.taskId, u.executionId) for u in usages.results) == [
        ("READ", "upload_file", "aws_upload", upload.id),
        ("WROTE", "infra_assets", "create_bucket", infra.id),
    ]
    assert usages.results[0].date >= usages.results[1].date  # newest first


def test_data_pipeline_assets(store: GraphStore, tenant: str) -> None:
    execution, _ = record(store, tenant, flow="data_pipeline_assets")
    assert [(r.taskId, r.value, r.inputs, r.outputs) for r in execution.taskRuns] == [
        ("create_staging_layer_asset", None, ["sample_data.nyc.taxi"], ["trips"]),
        ("create_mart_layer_asset", "passenger_count", ["trips"], ["avg_passenger_count"]),
        ("create_mart_layer_asset", "trip_distance", ["trips"], ["avg_trip_distance"]),
    ]
    taxi = asset(store, tenant, "sample_data.nyc.taxi")
    assert taxi.type == EXTERNAL and taxi.createdBy is None
    trips = asset(store, tenant, "trips")
    assert trips.type == TABLE and trips.metadata == {"model_layer": "staging"} and trips.createdBy == execution.id
    for mart in ("avg_passenger_count", "avg_trip_distance"):
        a = asset(store, tenant, mart)
        assert a.type == TABLE and a.metadata == {"model_layer": "mart"}
    for asset_id in ("sample_data.nyc.taxi", "trips", "avg_passenger_count", "avg_trip_distance"):
        assert asset(store, tenant, asset_id).namespace == "kestra.company.data"


def test_pipeline_with_assets(store: GraphStore, tenant: str) -> None:
    execution, _ = record(store, tenant, flow="pipeline_with_assets")
    trips = asset(store, tenant, "trips")
    assert trips.namespace == "company.team" and trips.metadata == {"database": "sqlite", "table": "trips"}
    assert execution.taskRuns[0].outputs == ["trips"]


def test_same_execution_twice_changes_nothing(store: GraphStore, tenant: str) -> None:
    first, created = record(store, tenant, flow="data_pipeline_assets", id="exec-1")
    before = tenant_stats(store, open_scope(tenant))
    updated_before = asset(store, tenant, "trips").updated
    again, created_again = record(store, tenant, flow="data_pipeline_assets", id="exec-1")
    assert created and not created_again and again == first
    assert tenant_stats(store, open_scope(tenant)) == before
    assert asset(store, tenant, "trips").updated == updated_before
    assert before.executions == 1 and before.reads == 3 and before.writes == 3 and before.feeds == 3
    with pytest.raises(Conflict):
        record(store, tenant, flow="infra_assets", id="exec-1", inputs={"teams": ["Data"]})


def test_invalid_declarations_are_refused_before_anything_is_written(store: GraphStore, tenant: str) -> None:
    body = run("f", [("t1", ["in"], ["good"]), ("t2", ["good"], ["x" * 600])])
    with pytest.raises(InvalidInput) as err:
        record(store, tenant, body)
    assert err.value.field == "taskRuns[1].assets.outputs[0].id"
    assert tenant_stats(store, open_scope(tenant)) == TenantStats()


def test_a_failure_mid_transaction_leaves_nothing(store: GraphStore, tenant: str) -> None:
    assets_svc.put_asset(store, open_scope(tenant), "locked", AssetIn(type=TABLE, namespace="hr"))
    before = tenant_stats(store, open_scope(tenant))
    editor = Scope(tenant=tenant, read=("*",), write=("company.team",))
    body = run("f", [("t1", ["in"], ["good"]), ("t2", ["good"], ["locked"])], scope=editor)
    with pytest.raises(Forbidden):
        record(store, tenant, body)
    assert tenant_stats(store, open_scope(tenant)) == before
    with pytest.raises(NotFound):
        asset(store, tenant, "good")


def test_external_inputs_take_the_declared_type_when_written(store: GraphStore, tenant: str) -> None:
    record(store, tenant, run("reader", [("t", ["ext"], ["out"])]))
    assert asset(store, tenant, "ext").type == EXTERNAL
    record(
        store,
        tenant,
        {
            "namespace": "company.team",
            "flowId": "writer",
            "taskRuns": [{"taskId": "w", "assets": {"outputs": [{"id": "ext", "type": TABLE, "metadata": {"a": 1}}]}}],
        },
    )
    ext = asset(store, tenant, "ext")
    assert ext.type == TABLE and ext.metadata == {"a": 1}


def test_declared_metadata_merges_into_existing_keys(store: GraphStore, tenant: str) -> None:
    assets_svc.put_asset(
        store,
        open_scope(tenant),
        "t",
        AssetIn(type=TABLE, namespace="company.team", metadata={"owner": "ana", "layer": "raw"}),
    )
    record(
        store,
        tenant,
        {
            "namespace": "company.team",
            "flowId": "f",
            "taskRuns": [
                {"taskId": "w", "assets": {"outputs": [{"id": "t", "metadata": {"layer": "staging", "rows": 3}}]}}
            ],
        },
    )
    t = asset(store, tenant, "t")
    assert t.metadata == {"owner": "ana", "layer": "staging", "rows": 3}
    assert t.type == TABLE and t.createdBy == "manual"


def test_existing_input_keeps_type_namespace_and_metadata(store: GraphStore, tenant: str) -> None:
    assets_svc.put_asset(
        store, open_scope(tenant), "b", AssetIn(type="AWS_BUCKET", namespace="infra", metadata={"provider": "s3"})
    )
    record(
        store,
        tenant,
        {
            "namespace": "company.team",
            "flowId": "f",
            "taskRuns": [{"taskId": "r", "assets": {"inputs": [{"id": "b", "type": TABLE, "metadata": {"x": 1}}]}}],
        },
    )
    b = asset(store, tenant, "b")
    assert (b.type, b.namespace, b.metadata) == ("AWS_BUCKET", "infra", {"provider": "s3"})


def test_writing_a_deleted_asset_revives_it(store: GraphStore, tenant: str) -> None:
    record(store, tenant, run("f", [("t", [], ["o"])]))
    assets_svc.delete_asset(store, open_scope(tenant), "o")
    record(store, tenant, run("f", [("t", [], ["o"])]))
    assert asset(store, tenant, "o").deleted is False


def test_execution_is_readable_back(store: GraphStore, tenant: str) -> None:
    recorded, _ = record(
        store,
        tenant,
        flow="infra_assets",
        inputs={"teams": ["Product"]},
        id="e-42",
        startDate="2026-01-02T03:04:05+01:00",
        endDate="2026-01-02T03:05:00Z",
    )
    got = get_execution(store, open_scope(tenant), "e-42")
    assert got == recorded
    assert got.startDate == "2026-01-02T02:04:05.000000Z" and got.inputs == {"teams": ["Product"]}
    assert got.flowId == "infra_assets" and got.namespace == "kestra.company.infra" and got.state == "SUCCESS"


def test_an_execution_stored_before_documents_were_packed_reads_as_it_was(store: GraphStore, tenant: str) -> None:
    """Documents are stored packed (app/packing.py) without the node's own fields; one stored whole as JSON text by an
    earlier version reads the same, and the same execution sent again is a replay of it."""
    recorded, _ = record(store, tenant, flow="infra_assets", inputs={"teams": ["Business"]}, id="e-43")
    key = execution_key(tenant, "e-43")
    stored = store.read(lambda tx: tx.run("execution_get", key=key))[0]["e"]
    assert stored["document"].startswith(PREFIX)
    assert "tenantId" not in json.loads(unpack(stored["document"]))  # the node's own fields are properties
    text = msgspec.json.encode(recorded).decode()  # as an earlier version stored it: whole, as text

    def as_text(tx: Tx) -> None:
        tx.run("executions_delete", keys=[key])
        tx.run("executions_store", rows=[{**stored, "document": text}])

    store.write(as_text)
    assert get_execution(store, open_scope(tenant), "e-43") == recorded
    again, created = record(store, tenant, flow="infra_assets", inputs={"teams": ["Business"]}, id="e-43")
    assert again == recorded and not created


def test_stored_flow_revisions_and_recording_by_name(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    flow, created = put_flow(store, scope, SANDBOX, flow_yaml("data_pipeline_assets"))
    assert created and flow.revision == 1
    same, created_again = put_flow(store, scope, SANDBOX, flow_yaml("data_pipeline_assets"))
    assert not created_again and same.revision == 1
    execution, _ = record(store, tenant, namespace="kestra.company.data", flowId="data_pipeline_assets")
    assert execution.flowRevision == 1 and len(execution.taskRuns) == 3
    v2, created_v2 = put_flow(store, scope, SANDBOX, flow_yaml("data_pipeline_assets") + "\nlabels:\n  team: data\n")
    assert created_v2 and v2.revision == 2
