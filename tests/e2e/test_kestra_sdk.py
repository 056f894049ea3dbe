"""Kestra's own Python SDK (`kestrapy`, pinned in the test extra) against `lineage serve`, unchanged: every asset
and flow route it has that this service answers, on both backends, with bearer tokens and namespace grants."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.helpers import flow_yaml
from tests.e2e.server import Server

#: one request's wait: a write or an answer on a busy 2-core machine (a server plans its queries before it is ready)
REQUEST_TIMEOUT = 30.0

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # kestrapy's generated models warn about shadowed pydantic names
    from kestrapy import KestraClient
    from kestrapy.exceptions import ApiException, BadRequestException, ConflictException, NotFoundException
    from kestrapy.models.assets_controller_asset_lock_request import AssetsControllerAssetLockRequest
    from kestrapy.models.query_filter import QueryFilter

T = "main"


def token(auth: Path, *grants: str, name: str) -> str:
    args = ["token", "create", "--auth-file", str(auth), "--tenant", T, "--name", name]
    for g in grants:
        args += ["--grant", g]
    made = subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


@pytest.fixture
def kestra(tmp_path: Path, serve_flags: list[str]) -> Iterator[tuple[KestraClient, KestraClient]]:
    """(an editor of the whole tenant, a viewer of `company.data` only), both Kestra clients with bearer tokens."""
    auth = tmp_path / "auth.yaml"
    admin, viewer = token(auth, "*:editor", name="admin"), token(auth, "company.data:viewer", name="viewer")
    with Server(tmp_path / "data", *serve_flags, "--auth-file", str(auth)) as server:
        yield KestraClient(host=server.url, token=admin), KestraClient(host=server.url, token=viewer)


ASSET = """\
id: trips
namespace: company.data
type: io.kestra.plugin.ee.assets.Table
displayName: Trips
description: NYC taxi trips
metadata:
  owner: data-team
  layer: raw
"""


def test_assets_crud_through_kestrapy(kestra: tuple[KestraClient, KestraClient]) -> None:
    client, viewer = kestra
    created = client.assets.create_asset(T, ASSET)
    assert (created.id, created.namespace, created.display_name) == ("trips", "company.data", "Trips")
    updated = client.assets.create_asset(
        T, '{"id": "trips", "displayName": null, "metadata": {"layer": null, "tier": 1}}'
    )
    assert updated.display_name == "Trips" and updated.description == "NYC taxi trips"  # null keeps
    assert updated.created == created.created and updated.updated >= created.updated
    got = viewer.assets.asset("trips", T)
    assert got.metadata is not None and dict(got.metadata) == {"owner": "data-team", "tier": 1}
    client.assets.create_asset(T, "id: secret_table\nnamespace: company.finance\ntype: TABLE\n")
    with pytest.raises(NotFoundException):
        viewer.assets.asset("secret_table", T)  # another namespace: not there for this token
    with pytest.raises(ApiException) as refused:
        viewer.assets.create_asset(T, "id: mine\nnamespace: company.data\ntype: TABLE\n")
    assert refused.value.status == 403
    client.assets.delete_asset("trips", T)
    with pytest.raises(NotFoundException):
        client.assets.asset("trips", T)
    assert client.assets.asset("trips", T, allow_deleted=True).deleted is True


def test_search_and_bulk_deletes_through_kestrapy(kestra: tuple[KestraClient, KestraClient]) -> None:
    client, viewer = kestra
    for n in range(6):
        ns = "company.data.marts" if n % 2 else "company.data"
        layer = "mart" if n % 2 else "raw"
        client.assets.create_asset(T, f"id: t{n}\nnamespace: {ns}\ntype: TABLE\nmetadata:\n  layer: {layer}\n")
    client.assets.create_asset(T, "id: ledger\nnamespace: company.finance\ntype: FILE\n")

    def ids(page: object) -> list[str]:
        return [a.id for a in page.results]  # type: ignore[attr-defined]

    marts = client.assets.search_assets(
        T, filters=[QueryFilter(field="metadata", operation="EQUALS", value={"layer": "mart"})], sort=["id:desc"]
    )
    assert ids(marts) == ["t5", "t3", "t1"] and marts.total == 3
    prefix = client.assets.search_assets(
        T, filters=[QueryFilter(field="namespace", operation="PREFIX", value="company.data")]
    )
    assert prefix.total == 6
    either = client.assets.search_assets(
        T,
        filters=[
            QueryFilter(
                logical="or",
                children=[
                    QueryFilter(field="type", operation="EQUALS", value="FILE"),
                    QueryFilter(field="id", operation="IN", value=["t0", "t2"]),
                ],
            )
        ],
        sort=["id:asc"],
    )
    assert ids(either) == ["ledger", "t0", "t2"]
    paged = client.assets.search_assets(T, page=2, size=4, sort=["id:asc"])
    assert ids(paged) == ["t3", "t4", "t5"] and paged.total == 7
    assert ids(
        client.assets.search_assets(T, filters=[QueryFilter(field="id", operation="REGEX", value="t[0-2]")])
    ) == [
        "t0",
        "t1",
        "t2",
    ]
    assert viewer.assets.search_assets(T).total == 6  # company.finance is not the viewer's
    with pytest.raises(BadRequestException) as bad:
        client.assets.search_assets(T, filters=[QueryFilter(field="labels", operation="EQUALS", value="x")])
    assert "labels" in bad.value.body
    assert client.assets.delete_assets_by_ids(T, ["t0", "t1", "nope"]).count == 2
    gone = client.assets.delete_assets_by_query(
        T, [QueryFilter(field="namespace", operation="EQUALS", value="company.data")]
    )
    assert gone.count == 2  # t2, t4
    assert ids(client.assets.search_assets(T, sort=["id:asc"])) == ["ledger", "t3", "t5"]


def test_flows_dependencies_and_locks_through_kestrapy(kestra: tuple[KestraClient, KestraClient]) -> None:
    client, _ = kestra
    flow = flow_yaml("data_pipeline_assets")
    made = client.flows.create_flow(T, flow)
    assert (made.id, made.namespace, made.revision) == ("data_pipeline_assets", "kestra.company.data", 1)
    with pytest.raises(ConflictException):
        client.flows.create_flow(T, flow)
    changed = client.flows.update_flow("kestra.company.data", "data_pipeline_assets", T, flow + "\n# edited\n")
    assert changed.revision == 2
    read = client.flows.flow("kestra.company.data", "data_pipeline_assets", T, revision=1)
    assert read.source == flow and read.tasks and read.deleted is False

    # record one execution of the stored flow through our own route, then ask Kestra's graph
    import httpx

    base = client._base_url
    headers = dict(client._session.headers)
    body = {"namespace": "kestra.company.data", "flowId": "data_pipeline_assets"}
    assert (
        httpx.post(f"{base}/api/v1/{T}/executions", json=body, headers=headers, timeout=REQUEST_TIMEOUT).status_code
        == 201
    )
    graph = client.assets.asset_dependencies("trips", T)
    uids = {n.uid: n.type.value for n in graph.nodes}  # type: ignore[union-attr]
    assert uids["ASSET:trips"] == "ASSET" and uids["FLOW:kestra.company.data/data_pipeline_assets"] == "FLOW"
    relations = {(e.source, e.target, e.relation.value) for e in graph.edges}  # type: ignore[union-attr]
    assert ("FLOW:kestra.company.data/data_pipeline_assets", "ASSET:trips", "UPSERT") in relations
    assert ("ASSET:trips", "FLOW:kestra.company.data/data_pipeline_assets", "USED_BY") in relations
    down = client.assets.asset_dependencies("trips", T, destination_only=True)
    assert {n.id for n in down.nodes} >= {"trips", "avg_trip_distance", "avg_passenger_count"}  # type: ignore[union-attr]

    usages = client.assets.search_asset_usages(
        T, filters=[QueryFilter(field="assetId", operation="EQUALS", value="trips")], sort=["created:asc"]
    )
    assert usages.total == 3 and {u.flow_id for u in usages.results} == {"data_pipeline_assets"}
    tasks = sorted(u.task_id for u in usages.results)
    assert tasks == ["create_mart_layer_asset", "create_mart_layer_asset", "create_staging_layer_asset"]
    run_ids = sorted(u.task_run_id.split(":", 1)[1] for u in usages.results)  # <executionId>:<taskId>[:<value>]
    assert run_ids[-1] == "create_staging_layer_asset" and run_ids[0].startswith("create_mart_layer_asset:")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Kestra deprecated the route; 2.0.x still has it
        events = client.assets.search_asset_lineage_events(
            T, filters=[QueryFilter(field="taskId", operation="EQUALS", value="create_staging_layer_asset")]
        )
    (event,) = events.results
    assert [o.id for o in event.outputs] == ["trips"] and [i.id for i in event.inputs] == ["sample_data.nyc.taxi"]
    assert event.state == "SUCCESS" and event.flow_id == "data_pipeline_assets"
    removed = client.assets.delete_asset_usages_by_query(
        T, [QueryFilter(field="taskId", operation="EQUALS", value="create_mart_layer_asset")]
    )
    assert removed.count == 4  # trips read twice, two marts written
    assert client.assets.search_asset_usages(T).total == 2
    assert client.assets.asset_dependencies("trips", T, destination_only=True).edges == []

    lock = client.assets.lock_asset("trips", T, AssetsControllerAssetLockRequest(ttl="PT10M", executionId="exec-1"))
    assert lock.execution_id == "exec-1" and lock.owner_type == "EXECUTION"
    with pytest.raises(ConflictException):
        client.assets.lock_asset("trips", T, AssetsControllerAssetLockRequest(executionId="exec-2"))
    assert client.assets.asset("trips", T).lock.execution_id == "exec-1"  # type: ignore[union-attr]
    client.assets.unlock_asset("trips", T, execution_id="exec-2")  # not the holder: nothing happens
    assert client.assets.asset("trips", T).lock is not None
    client.assets.unlock_asset("trips", T, execution_id="exec-1")
    assert client.assets.asset("trips", T).lock is None
    assert (
        client.assets.lock_asset("trips", T, AssetsControllerAssetLockRequest(executionId="exec-2")).execution_id
        == "exec-2"
    )

    client.flows.delete_flow("kestra.company.data", "data_pipeline_assets", T)
    with pytest.raises(NotFoundException):
        client.flows.flow("kestra.company.data", "data_pipeline_assets", T)
    assert client.flows.create_flow(T, flow).revision == 3  # numbering continues after a delete
