"""The asset registry over HTTP: shapes, status codes and problem details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from litestar.testing import TestClient

TABLE = "io.kestra.plugin.ee.assets.Table"
PROBLEM = "application/problem+json"


def problem(resp, status: int, field: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
        assert field in body["detail"] or body.get("field") == field
    return body


def test_put_get_round_trip(client: TestClient, base: str, tenant: str) -> None:
    body = {
        "type": TABLE,
        "namespace": "company.team",
        "displayName": "Trips",
        "description": "*md*",
        "metadata": {"database": "sqlite", "rows": 4, "active": True},
    }
    created = client.put(f"{base}/assets/trips", json=body)
    assert created.status_code == 201
    asset = created.json()
    assert set(asset) == {
        "tenantId",
        "id",
        "namespace",
        "type",
        "displayName",
        "description",
        "metadata",
        "created",
        "updated",
        "deleted",
        "createdBy",
        "lock",
    }
    assert asset["tenantId"] == tenant and asset["id"] == "trips" and asset["lock"] is None
    for k, v in body.items():
        assert asset[k] == v
    again = client.put(f"{base}/assets/trips", json=asset)  # a GET response can be sent back as is
    assert again.status_code == 200 and again.json() == asset
    assert client.get(f"{base}/assets/trips").json() == asset


def test_ids_with_slashes_and_percent_signs_round_trip(client: TestClient, base: str) -> None:
    for asset_id in ["s3://bucket/raw/file.csv", "100%/done", "a b", "é/ü"]:
        url = f"{base}/assets/{quote(asset_id, safe='')}"
        assert client.put(url, json={"type": "File"}).status_code == 201
        got = client.get(url)
        assert got.status_code == 200 and got.json()["id"] == asset_id


def test_list_and_filters(client: TestClient, base: str) -> None:
    client.put(f"{base}/assets/a", json={"type": TABLE, "namespace": "data", "metadata": {"layer": "mart"}})
    client.put(f"{base}/assets/b", json={"type": TABLE, "namespace": "data", "metadata": {"layer": "staging"}})
    client.put(f"{base}/assets/c", json={"type": "AWS_BUCKET", "namespace": "infra", "metadata": {"layer": "mart"}})
    r = client.get(f"{base}/assets", params={"metadata.layer": "mart", "type": TABLE})
    assert r.status_code == 200 and r.json()["total"] == 1 and r.json()["results"][0]["id"] == "a"
    r = client.get(f"{base}/assets", params={"namespace": "data", "size": 1, "page": 2})
    assert r.json()["total"] == 2 and [a["id"] for a in r.json()["results"]] == ["b"]


def test_soft_delete_and_revive(client: TestClient, base: str) -> None:
    client.put(f"{base}/assets/a", json={"type": "x"})
    d = client.delete(f"{base}/assets/a")
    assert d.status_code == 200 and d.json()["deleted"] is True
    assert client.get(f"{base}/assets").json()["total"] == 0
    assert client.get(f"{base}/assets", params={"deleted": "true"}).json()["total"] == 1
    assert client.put(f"{base}/assets/a", json={"type": "x"}).json()["deleted"] is False
    problem(client.delete(f"{base}/assets/missing"), 404, "id")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": 5}, "type"),
        ({}, "type"),
        ({"type": "x", "namespace": "bad namespace!"}, "namespace"),
        ({"type": "x", "metadata": {"k": [1, 2]}}, "metadata.k"),
        ({"type": "x", "metadata": {"k": {"nested": 1}}}, "metadata.k"),
        ({"type": "x", "metdata": {}}, "metdata"),
        ({"type": "x", "displayName": "n" * 600}, "displayName"),
        ({"type": "x", "metadata": {f"k{i}": i for i in range(101)}}, "metadata"),
        ({"type": "x", "id": "other"}, "id"),
    ],
)
def test_bad_bodies_are_problems_naming_the_field(client: TestClient, base: str, body: dict, field: str) -> None:
    problem(client.put(f"{base}/assets/a", json=body), 400 if field not in ("id",) else 422, field)
    problem(client.get(f"{base}/assets/a"), 404)  # nothing half-written


def test_invalid_json_and_wrong_content(client: TestClient, base: str) -> None:
    problem(client.put(f"{base}/assets/a", content=b"{nope", headers={"content-type": "application/json"}), 400)
    problem(client.put(f"{base}/assets/a", content=b"[1,2]", headers={"content-type": "application/json"}), 400)


def test_ids_and_tenants_are_checked(client: TestClient, base: str) -> None:
    problem(client.put(f"{base}/assets/{'x' * 513}", json={"type": "x"}), 422, "id")
    problem(client.put(f"{base}/assets/{quote(chr(7))}", json={"type": "x"}), 422, "id")
    problem(client.get("/api/v1/Not_A_Tenant!/assets"), 400, "tenant")
    problem(client.get(f"/api/v1/{'t' * 64}/assets"), 400, "tenant")


def test_body_over_the_limit_is_413(client: TestClient, base: str) -> None:
    big = b'{"type": "x", "description": "' + b"d" * (3 * 1024 * 1024) + b'"}'
    problem(client.put(f"{base}/assets/a", content=big, headers={"content-type": "application/json"}), 413)
    problem(client.get(f"{base}/assets/a"), 404)


def test_page_size_is_bounded(client: TestClient, base: str) -> None:
    problem(client.get(f"{base}/assets", params={"size": 5000}), 400, "size")
    problem(client.get(f"{base}/assets", params={"page": 0}), 400, "page")


def test_asset_types_health_ready_and_schema(client: TestClient, base: str) -> None:
    types = client.get(f"{base}/asset-types").json()
    by_name = {t["name"]: t for t in types}
    assert by_name["Table"]["metadataFields"] == ["system", "database", "schema"]
    assert by_name["VM"]["metadataFields"] == ["provider", "region", "state"]
    assert by_name["External"]["type"] == "io.kestra.core.models.assets.External"
    assert client.get("/health").json()["status"] == "UP"
    assert client.get("/ready").json()["status"] == "UP"
    schema = client.get("/schema/openapi.json").json()
    assert "/api/v1/{tenant}/assets/{id}" in schema["paths"]
    # the routes that also answer as files say so (added to the document when it is built, at its first request)
    answers = schema["paths"]["/api/v1/{tenant}/assets/{id}/impact"]["get"]["responses"]["200"]["content"]
    assert set(answers) == {"application/json", "text/csv", "application/x-ndjson"}


def test_batch_put_creates_and_replaces_in_one_go(client: TestClient, base: str) -> None:
    first = client.put(f"{base}/assets", json=[{"id": "b1", "type": "T"}, {"id": "s3://bucket/k", "type": TABLE}])
    assert first.status_code == 200, first.text
    assert first.json() == {"total": 2, "created": 2, "replaced": 0}
    again = client.put(
        f"{base}/assets", json=[{"id": "b1", "type": "T", "metadata": {"rows": 3}}, {"id": "b2", "type": "T"}]
    )
    assert again.json() == {"total": 2, "created": 1, "replaced": 1}
    assert client.get(f"{base}/assets/b1").json()["metadata"] == {"rows": 3}
    assert client.get(f"{base}/assets/{quote('s3://bucket/k', safe='')}").json()["type"] == TABLE


@pytest.mark.parametrize(
    ("items", "status", "field"),
    [
        ([{"id": "ok", "type": "T"}, {"id": "", "type": "T"}], 422, "[1].id"),
        ([{"id": "ok", "type": "T"}, {"type": "T"}], 422, "[1].id"),
        ([{"id": "ok", "type": "T"}, {"id": "bad", "type": "T", "namespace": "no spaces"}], 400, "[1].namespace"),
        ([{"id": "ok", "type": "T"}, {"id": "m", "type": "T", "metadata": {"k": [1]}}], 400, "[1].metadata.k"),
        ([{"id": "ok", "type": "T"}, {"id": "m"}], 400, "[1].type"),
        ([{"id": "ok", "type": "T"}, {"id": "ok", "type": "U"}], 422, "[1].id"),
        ([], 422, "body"),
    ],
)
def test_batch_put_refuses_bad_items_and_writes_none(
    client: TestClient, base: str, items: list[dict], status: int, field: str
) -> None:
    problem(client.put(f"{base}/assets", json=items), status, field)
    assert client.get(f"{base}/assets/ok").status_code == 404  # the good neighbour was not written either


def test_batch_put_has_a_size_limit(client: TestClient, base: str) -> None:
    from app.domain.limits import MAX_BATCH

    items = [{"id": f"a{n}", "type": "T"} for n in range(MAX_BATCH + 1)]
    problem(client.put(f"{base}/assets", json=items), 422, "body")
    assert client.get(f"{base}/assets", params={"size": 1}).json()["total"] == 0


@pytest.mark.parametrize("name", ["search", "by-ids", "by-query"])
def test_an_asset_named_like_a_collection_route_can_be_written_and_deleted(
    client: TestClient, base: str, name: str
) -> None:
    """`/assets/search`, `/assets/by-ids` and `/assets/by-query` are Kestra's routes for one method each; every
    other method of `/assets/{id}` still reaches the asset of that id (it was 405 before)."""
    assert client.put(f"{base}/assets/{name}", json={"type": "T"}).status_code == 201
    assert client.put(f"{base}/assets/{name}", json={"type": "T2"}).json()["type"] == "T2"
    problem(client.put(f"{base}/assets/{name}", json={"type": 3}), 400, "type")
    if name == "search":  # GET is the search and DELETE the asset; for the others, the reverse
        found = client.get(f"{base}/assets/search", params={"filters[id][EQUALS]": "search"}).json()["results"]
        assert [a["id"] for a in found] == ["search"]
        assert client.delete(f"{base}/assets/search").json()["deleted"] is True
    else:
        assert client.get(f"{base}/assets/{name}").json()["id"] == name


@pytest.mark.parametrize(
    "path",
    [
        "/assets",
        "/assets/search",
        "/assets/usages/search",
        "/assets/lineage-events/search",
        "/assets/deep.page.asset/usages",
    ],
)
def test_a_page_far_past_the_end_is_empty(client: TestClient, base: str, path: str) -> None:
    """page=99999 is 2.5M rows past the end: the answer is an empty page with the true total, on both backends
    (LadybugDB 0.22 crashed the process when asked such a page: app/services/binding.py, past_the_end)."""
    assert client.put(f"{base}/assets/deep.page.asset", json={"type": "T"}).status_code == 201
    run = {
        "namespace": "n",
        "flowId": "f",
        "taskRuns": [{"taskId": "t", "assets": {"outputs": [{"id": "deep.page.asset"}]}}],
    }
    assert client.post(f"{base}/executions", json=run).status_code == 201
    first = client.get(f"{base}{path}", params={"page": 1, "size": 25}).json()
    assert first["total"] >= 1 and first["results"]
    far = client.get(f"{base}{path}", params={"page": 99999, "size": 25})
    assert far.status_code == 200 and far.json() == {"results": [], "total": first["total"]}


def test_which_flows_read_an_asset_lately(client: TestClient, base: str) -> None:
    """The worked example of docs/architecture.md ("adding a question"): which flows read asset X in the last 7 days."""
    now = datetime.now(UTC)

    def read(flow: str, days_ago: float, n: int = 0) -> None:
        body = {
            "namespace": f"company.{flow}",
            "flowId": flow,
            "id": f"{flow}-{n}",
            "startDate": (now - timedelta(days=days_ago)).isoformat(),
            "taskRuns": [{"taskId": "t", "assets": {"inputs": [{"id": "src"}], "outputs": [{"id": f"{flow}_out"}]}}],
        }
        assert client.post(f"{base}/executions", json=body).status_code == 201

    read("old", 10)
    read("busy", 2, 1)
    read("busy", 1, 2)
    read("fresh", 0.5)
    week = client.get(f"{base}/assets/src/readers").json()
    assert [(f["flowId"], f["namespace"], f["reads"]) for f in week["flows"]] == [
        ("fresh", "company.fresh", 1),
        ("busy", "company.busy", 2),
    ]
    assert week["flows"][1]["lastRead"] < week["flows"][0]["lastRead"] and week["since"] < week["flows"][1]["lastRead"]
    month = client.get(f"{base}/assets/src/readers", params={"days": 30}).json()
    assert [f["flowId"] for f in month["flows"]] == ["fresh", "busy", "old"]
    assert client.get(f"{base}/assets/fresh_out/readers").json()["flows"] == []  # written, never read
    problem(client.get(f"{base}/assets/src/readers", params={"days": 0}), 400, "days")
    problem(client.get(f"{base}/assets/nope/readers"), 404, "id")
