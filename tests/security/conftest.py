"""A secured server (auth file, tokens of every kind) with data in visible and invisible namespaces."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from litestar.testing import TestClient

from app.asgi import create_app
from app.auth import check_grant, create_token
from app.settings import Settings
from tests import neo4j_server as test_neo4j
from tests.conftest import BACKENDS, open_backend
from tests.contract.helpers import flow_yaml

TENANT = "main"


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str | None]
    facts: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        token = self.tokens[who]
        return {"Authorization": f"Bearer {token}"} if token else {}

    def fresh(self, namespace: str, prefix: str = "fresh") -> str:
        """A new asset in `namespace`, made by the admin: rows that change things get their own target."""
        import uuid

        asset_id = f"{prefix}.{uuid.uuid4().hex[:10]}"
        r = self.client.put(
            f"/api/v1/{TENANT}/assets/{asset_id}",
            json={"type": "x", "namespace": namespace},
            headers=self.headers("admin"),
        )
        assert r.status_code == 201, r.text
        return asset_id

    def fresh_flow(self, namespace: str) -> str:
        """A new stored flow in `namespace`, made by the admin; returns its id."""
        import uuid

        flow_id = f"f{uuid.uuid4().hex[:10]}"
        source = f"id: {flow_id}\nnamespace: {namespace}\ntasks: [{{id: t, type: x}}]\n"
        r = self.client.put(
            f"/api/v1/{TENANT}/flows",
            content=source,
            headers={**self.headers("admin"), "content-type": "application/x-yaml"},
        )
        assert r.status_code == 201, r.text
        return flow_id


def make_tokens(auth_file: Path) -> dict[str, str | None]:
    return {
        "admin": create_token(auth_file, tenant=TENANT, grants=[], admin=True, name="admin"),
        "editor": create_token(auth_file, tenant=TENANT, grants=[check_grant("company.team:editor")], name="editor"),
        "viewer": create_token(auth_file, tenant=TENANT, grants=[check_grant("company.team:viewer")], name="viewer"),
        "outsider": create_token(auth_file, tenant="other", grants=[], admin=True, name="other tenant admin"),
        "none": None,
        "forged": "lin_00000000_" + "x" * 43,
    }


def seed(client: TestClient, admin: dict[str, str], editor: dict[str, str]) -> dict[str, str]:
    base = f"/api/v1/{TENANT}"

    def ok(r):  # type: ignore[no-untyped-def]
        assert r.status_code in (200, 201), r.text
        return r

    ok(
        client.put(
            f"{base}/assets/team.table",
            json={"type": "io.kestra.plugin.ee.assets.Table", "namespace": "company.team"},
            headers=admin,
        )
    )
    ok(
        client.put(
            f"{base}/assets/hr.salaries",
            json={"type": "io.kestra.plugin.ee.assets.Table", "namespace": "hr"},
            headers=admin,
        )
    )

    def run(ns, eid, i, o):
        return {
            "id": eid,
            "namespace": ns,
            "flowId": "f",
            "taskRuns": [{"taskId": "t", "assets": {"inputs": [{"id": i}], "outputs": [{"id": o, "namespace": ns}]}}],
        }

    ok(
        client.post(
            f"{base}/executions", json=run("company.team", "team-exec", "team.table", "team.out"), headers=admin
        )
    )
    ok(client.post(f"{base}/executions", json=run("hr", "hr-exec", "hr.salaries", "hr.out"), headers=admin))
    ok(
        client.put(
            f"{base}/flows", content=flow_yaml("select_assets"), headers={**admin, "content-type": "application/x-yaml"}
        )
    )
    hr_flow = flow_yaml("select_assets").replace("namespace: company.team", "namespace: hr")
    ok(client.put(f"{base}/flows", content=hr_flow, headers={**admin, "content-type": "application/x-yaml"}))
    runs = {}
    for ns in ("company.team", "hr"):
        run_id = str(uuid.uuid4())
        source = {"namespace": "file", "name": f"/{ns}-src", "facets": {}}
        lineage = {
            "_producer": "https://example.com",
            "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json",
            "fields": {"b": {"inputFields": [{"namespace": "file", "name": f"/{ns}-src", "field": "a"}]}},
        }
        event = {
            "eventType": "COMPLETE",
            "eventTime": "2026-01-01T00:00:00Z",
            "producer": "https://example.com",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": run_id},
            "job": {"namespace": ns, "name": "columns"},
            "inputs": [source],
            "outputs": [{"namespace": "file", "name": f"/{ns}-cols", "facets": {"columnLineage": lineage}}],
        }
        ok(client.post(f"{base}/openlineage/lineage", json=event, headers=admin))
        runs[ns] = run_id
    ship = {"assetExporters": [{"id": "f", "type": "io.kestra.plugin.ee.assets.FileAssetExporter", "format": "JSON"}]}
    admin_file = ok(client.post(f"{base}/ship", json=ship, headers=admin)).json()["exporters"][0]["uri"]
    team_file = ok(client.post(f"{base}/ship", json=ship, headers=editor)).json()["exporters"][0]["uri"]
    return {
        "admin_file": admin_file.rsplit("/", 1)[-1],
        "team_file": team_file.rsplit("/", 1)[-1],
        "team_run": runs["company.team"],
        "hr_run": runs["hr"],
    }


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("secured")
    auth_file = root / "auth.yaml"
    tokens = make_tokens(auth_file)
    if request.param == "neo4j":  # tenants `main` and `other` are fixed here: start from an empty database
        server = request.getfixturevalue("neo4j_server")
        test_neo4j.wipe(server)
    store = open_backend(request, request.param, root / "db")
    app = create_app(Settings(data_dir=root, auth_file=auth_file, sandbox_prewarm=False), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        w = World(client=client, tokens=tokens)
        w.facts = seed(client, w.headers("admin"), w.headers("editor"))
        yield w
    store.close()
