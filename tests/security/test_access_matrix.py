"""Tenant isolation and namespace grants on every endpoint: a table of (endpoint, token) -> status.

The table's endpoints are checked against the app's own route list, so a new endpoint without rows fails.
Assets, flows and executions live in `company.team` (granted to the editor and viewer tokens) and `hr`
(granted to nobody but the admin). Invisible things answer 404, never 403; wrong tenants 403; no token 401.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.security.conftest import TENANT, World

WHO = ("admin", "editor", "viewer", "outsider", "none", "forged")
B = f"/api/v1/{TENANT}"
YAML = {"content-type": "application/x-yaml"}

Request = tuple[str, str, dict[str, Any]]  # method, url, httpx kwargs


def unique() -> str:
    return uuid.uuid4().hex[:10]


def run_body(namespace: str) -> dict[str, Any]:
    return {
        "id": f"x-{unique()}",
        "namespace": namespace,
        "flowId": "f",
        "taskRuns": [
            {
                "taskId": "t",
                "assets": {
                    "inputs": [{"id": "team.table"}],
                    "outputs": [{"id": f"o-{unique()}", "namespace": namespace}],
                },
            }
        ],
    }


def ol_event(namespace: str) -> dict[str, Any]:
    return {
        "eventType": "COMPLETE",
        "eventTime": "2026-01-01T00:00:00Z",
        "producer": "https://example.com",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": str(uuid.uuid4())},
        "job": {"namespace": namespace, "name": "job"},
        "inputs": [],
        "outputs": [{"namespace": "file", "name": f"/out/{unique()}"}],
    }


def named(w: World, name: str, namespace: str) -> str:
    """The asset `name` (one of the collection's own route names) in `namespace`, (re)written by the admin."""
    r = w.client.put(f"{B}/assets/{name}", json={"type": "x", "namespace": namespace}, headers=w.headers("admin"))
    assert r.status_code in (200, 201), r.text
    return f"{B}/assets/{name}"


def recorded(w: World, namespace: str) -> str:
    """A new execution in `namespace`, recorded by the admin; returns its id."""
    body = run_body(namespace)
    r = w.client.post(f"{B}/executions", json=body, headers=w.headers("admin"))
    assert r.status_code == 201, r.text
    return str(body["id"])


OK, CREATED, NO_CONTENT, BAD, UNAUTH, FORBIDDEN, MISSING = 200, 201, 204, 400, 401, 403, 404
PUBLIC = dict.fromkeys(WHO, OK)


def statuses(admin: Any, editor: Any, viewer: Any) -> dict[str, Any]:
    """Expected statuses for the three tokens of the tenant; other tenants get 403, no token 401."""
    return {"admin": admin, "editor": editor, "viewer": viewer, "outsider": FORBIDDEN, "none": UNAUTH, "forged": UNAUTH}


READ_TEAM = statuses(OK, OK, OK)
READ_HR = statuses(OK, MISSING, MISSING)
WRITE_TEAM = statuses(OK, OK, FORBIDDEN)
ADMIN_ONLY = statuses(OK, FORBIDDEN, FORBIDDEN)

Row = tuple[str, str, Callable[[World], Request], dict[str, Any]]  # method, route, request, expected

ROWS: list[Row] = [
    ("GET", "/health", lambda w: ("GET", "/health", {}), PUBLIC),
    ("GET", "/ready", lambda w: ("GET", "/ready", {}), PUBLIC),
    ("GET", "/api/v1/{tenant}/asset-types", lambda w: ("GET", f"{B}/asset-types", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets", lambda w: ("GET", f"{B}/assets", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}", lambda w: ("GET", f"{B}/assets/team.table", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}", lambda w: ("GET", f"{B}/assets/hr.salaries", {}), READ_HR),
    (
        "PUT",
        "/api/v1/{tenant}/assets/{id}",
        lambda w: ("PUT", f"{B}/assets/team.{unique()}", {"json": {"type": "x", "namespace": "company.team"}}),
        statuses(CREATED, CREATED, FORBIDDEN),
    ),
    (
        "PUT",
        "/api/v1/{tenant}/assets/{id}",
        lambda w: (
            "PUT",
            f"{B}/assets/{w.fresh('hr')}",
            {"json": {"type": "io.kestra.plugin.ee.assets.Table", "namespace": "hr"}},
        ),
        statuses(OK, FORBIDDEN, FORBIDDEN),
    ),
    (
        "PUT",
        "/api/v1/{tenant}/assets",
        lambda w: (
            "PUT",
            f"{B}/assets",
            {"json": [{"id": f"team.{unique()}", "type": "x", "namespace": "company.team"}]},
        ),
        WRITE_TEAM,
    ),
    # one item outside the caller's grants refuses the whole batch, and the batch writes nothing
    (
        "PUT",
        "/api/v1/{tenant}/assets",
        lambda w: (
            "PUT",
            f"{B}/assets",
            {
                "json": [
                    {"id": f"team.{unique()}", "type": "x", "namespace": "company.team"},
                    {"id": f"hr.{unique()}", "type": "x", "namespace": "hr"},
                ]
            },
        ),
        statuses(OK, FORBIDDEN, FORBIDDEN),
    ),
    # moving an asset one cannot see into one's own namespace: it does not exist for the caller
    (
        "PUT",
        "/api/v1/{tenant}/assets/{id}",
        lambda w: ("PUT", f"{B}/assets/{w.fresh('hr')}", {"json": {"type": "x", "namespace": "company.team"}}),
        statuses(OK, MISSING, FORBIDDEN),
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/{id}",
        lambda w: ("DELETE", f"{B}/assets/{w.fresh('company.team')}", {}),
        WRITE_TEAM,
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/{id}",
        lambda w: ("DELETE", f"{B}/assets/{w.fresh('hr')}", {}),
        statuses(OK, MISSING, FORBIDDEN),
    ),
    # ids that are also the collection's own routes reach the asset for the methods those routes lack
    *[
        (
            "PUT",
            f"/api/v1/{{tenant}}/assets/{name}",
            lambda w, n=name, s=ns, b=body: ("PUT", named(w, n, s), {"json": b}),
            want,
        )
        for name in ("search", "by-ids", "by-query")
        for ns, body, want in (
            ("company.team", {"type": "x", "namespace": "company.team"}, WRITE_TEAM),
            ("hr", {"type": "x", "namespace": "hr"}, statuses(OK, FORBIDDEN, FORBIDDEN)),
        )
    ],
    *[
        ("GET", f"/api/v1/{{tenant}}/assets/{name}", lambda w, n=name, s=ns: ("GET", named(w, n, s), {}), want)
        for name in ("by-ids", "by-query")
        for ns, want in (("company.team", READ_TEAM), ("hr", READ_HR))
    ],
    (
        "DELETE",
        "/api/v1/{tenant}/assets/search",
        lambda w: ("DELETE", named(w, "search", "company.team"), {}),
        WRITE_TEAM,
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/search",
        lambda w: ("DELETE", named(w, "search", "hr"), {}),
        statuses(OK, MISSING, FORBIDDEN),
    ),
    # Kestra's routes (search, bulk deletes, locks, usages: app/api/assets.py, locks.py, usages.py), POST /assets, flows
    (
        "POST",
        "/api/v1/{tenant}/assets",
        lambda w: ("POST", f"{B}/assets", {"content": f"id: team.{unique()}\nnamespace: company.team\ntype: x\n"}),
        WRITE_TEAM,
    ),
    (
        "POST",
        "/api/v1/{tenant}/assets",
        lambda w: ("POST", f"{B}/assets", {"json": {"id": w.fresh("hr"), "type": "x", "metadata": {"k": "v"}}}),
        statuses(OK, FORBIDDEN, FORBIDDEN),
    ),
    ("GET", "/api/v1/{tenant}/assets/search", lambda w: ("GET", f"{B}/assets/search", {}), READ_TEAM),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/by-ids",
        lambda w: ("DELETE", f"{B}/assets/by-ids", {"json": [w.fresh("company.team")]}),
        WRITE_TEAM,
    ),
    # an asset the caller cannot see is not deleted, and not counted
    (
        "DELETE",
        "/api/v1/{tenant}/assets/by-ids",
        lambda w: ("DELETE", f"{B}/assets/by-ids", {"json": [w.fresh("hr")]}),
        statuses(OK, OK, FORBIDDEN),
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/by-query",
        lambda w: ("DELETE", f"{B}/assets/by-query", {"params": {"filters[id][EQUALS]": w.fresh("company.team")}}),
        WRITE_TEAM,
    ),
    ("GET", "/api/v1/{tenant}/assets/usages/search", lambda w: ("GET", f"{B}/assets/usages/search", {}), READ_TEAM),
    (
        "GET",
        "/api/v1/{tenant}/assets/lineage-events/search",
        lambda w: ("GET", f"{B}/assets/lineage-events/search", {}),
        READ_TEAM,
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/usages/by-query",
        lambda w: (
            "DELETE",
            f"{B}/assets/usages/by-query",
            {"params": {"filters[executionId][EQUALS]": recorded(w, "company.team")}},
        ),
        WRITE_TEAM,
    ),
    # usages of executions the caller cannot see are not deleted (nothing matches)
    (
        "DELETE",
        "/api/v1/{tenant}/assets/usages/by-query",
        lambda w: (
            "DELETE",
            f"{B}/assets/usages/by-query",
            {"params": {"filters[executionId][EQUALS]": recorded(w, "hr")}},
        ),
        statuses(OK, OK, FORBIDDEN),
    ),
    (
        "GET",
        "/api/v1/{tenant}/assets/{id}/dependencies",
        lambda w: ("GET", f"{B}/assets/team.table/dependencies", {}),
        READ_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/assets/{id}/dependencies",
        lambda w: ("GET", f"{B}/assets/hr.salaries/dependencies", {}),
        READ_HR,
    ),
    (
        "POST",
        "/api/v1/{tenant}/assets/{id}/lock",
        lambda w: ("POST", f"{B}/assets/{w.fresh('company.team')}/lock", {"json": {"executionId": "e1"}}),
        WRITE_TEAM,
    ),
    (
        "POST",
        "/api/v1/{tenant}/assets/{id}/lock",
        lambda w: ("POST", f"{B}/assets/{w.fresh('hr')}/lock", {"json": {"executionId": "e1"}}),
        statuses(OK, MISSING, FORBIDDEN),
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/{id}/lock",
        lambda w: ("DELETE", f"{B}/assets/{w.fresh('company.team')}/lock", {}),
        statuses(NO_CONTENT, NO_CONTENT, FORBIDDEN),
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/assets/{id}/lock",
        lambda w: ("DELETE", f"{B}/assets/{w.fresh('hr')}/lock", {}),
        statuses(NO_CONTENT, MISSING, FORBIDDEN),
    ),
    (
        "POST",
        "/api/v1/{tenant}/flows",
        lambda w: (
            "POST",
            f"{B}/flows",
            {"content": f"id: f{unique()}\nnamespace: company.team\ntasks: [{{id: t, type: x}}]\n", "headers": YAML},
        ),
        statuses(OK, OK, FORBIDDEN),
    ),
    (
        "POST",
        "/api/v1/{tenant}/flows",
        lambda w: (
            "POST",
            f"{B}/flows",
            {"content": f"id: f{unique()}\nnamespace: hr\ntasks: [{{id: t, type: x}}]\n", "headers": YAML},
        ),
        statuses(OK, FORBIDDEN, FORBIDDEN),
    ),
    (
        "PUT",
        "/api/v1/{tenant}/flows/{namespace}/{id}",
        lambda w: (
            "PUT",
            f"{B}/flows/company.team/{(f := w.fresh_flow('company.team'))}",
            {"content": f"id: {f}\nnamespace: company.team\ntasks: [{{id: t2, type: x}}]\n", "headers": YAML},
        ),
        statuses(OK, OK, FORBIDDEN),
    ),
    (
        "PUT",
        "/api/v1/{tenant}/flows/{namespace}/{id}",
        lambda w: (
            "PUT",
            f"{B}/flows/hr/{(f := w.fresh_flow('hr'))}",
            {"content": f"id: {f}\nnamespace: hr\ntasks: [{{id: t2, type: x}}]\n", "headers": YAML},
        ),
        statuses(OK, MISSING, FORBIDDEN),
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/flows/{namespace}/{id}",
        lambda w: ("DELETE", f"{B}/flows/company.team/{w.fresh_flow('company.team')}", {}),
        statuses(NO_CONTENT, NO_CONTENT, FORBIDDEN),
    ),
    (
        "DELETE",
        "/api/v1/{tenant}/flows/{namespace}/{id}",
        lambda w: ("DELETE", f"{B}/flows/hr/{w.fresh_flow('hr')}", {}),
        statuses(NO_CONTENT, MISSING, FORBIDDEN),
    ),
    ("GET", "/api/v1/{tenant}/assets/{id}/readers", lambda w: ("GET", f"{B}/assets/team.table/readers", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}/readers", lambda w: ("GET", f"{B}/assets/hr.salaries/readers", {}), READ_HR),
    ("GET", "/api/v1/{tenant}/assets/{id}/usages", lambda w: ("GET", f"{B}/assets/team.table/usages", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}/usages", lambda w: ("GET", f"{B}/assets/hr.salaries/usages", {}), READ_HR),
    ("GET", "/api/v1/{tenant}/assets/{id}/checks", lambda w: ("GET", f"{B}/assets/team.table/checks", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}/checks", lambda w: ("GET", f"{B}/assets/hr.salaries/checks", {}), READ_HR),
    ("GET", "/api/v1/{tenant}/assets/{id}/impact", lambda w: ("GET", f"{B}/assets/team.table/impact", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}/impact", lambda w: ("GET", f"{B}/assets/hr.salaries/impact", {}), READ_HR),
    ("GET", "/api/v1/{tenant}/assets/{id}/upstream", lambda w: ("GET", f"{B}/assets/team.out/upstream", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}/upstream", lambda w: ("GET", f"{B}/assets/hr.out/upstream", {}), READ_HR),
    (
        "GET",
        "/api/v1/{tenant}/assets/{id}/impact",
        lambda w: ("GET", f"{B}/assets/hr.salaries/impact?format=csv", {}),
        READ_HR,
    ),
    (
        "GET",
        "/api/v1/{tenant}/assets/{id}/impact/summary",
        lambda w: ("GET", f"{B}/assets/team.table/impact/summary", {}),
        READ_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/assets/{id}/impact/summary",
        lambda w: ("GET", f"{B}/assets/hr.salaries/impact/summary", {}),
        READ_HR,
    ),
    (
        "GET",
        "/api/v1/{tenant}/assets/{id}/upstream/summary",
        lambda w: ("GET", f"{B}/assets/hr.out/upstream/summary", {}),
        READ_HR,
    ),
    ("GET", "/api/v1/{tenant}/assets/{id}/lineage", lambda w: ("GET", f"{B}/assets/team.table/lineage", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/assets/{id}/lineage", lambda w: ("GET", f"{B}/assets/hr.out/lineage", {}), READ_HR),
    (
        "POST",
        "/api/v1/{tenant}/executions",
        lambda w: ("POST", f"{B}/executions", {"json": run_body("company.team")}),
        statuses(CREATED, CREATED, FORBIDDEN),
    ),
    (
        "POST",
        "/api/v1/{tenant}/executions",
        lambda w: ("POST", f"{B}/executions", {"json": run_body("hr")}),
        statuses(CREATED, FORBIDDEN, FORBIDDEN),
    ),
    ("GET", "/api/v1/{tenant}/executions/{id}", lambda w: ("GET", f"{B}/executions/team-exec", {}), READ_TEAM),
    ("GET", "/api/v1/{tenant}/executions/{id}", lambda w: ("GET", f"{B}/executions/hr-exec", {}), READ_HR),
    (
        "PUT",
        "/api/v1/{tenant}/flows",
        lambda w: (
            "PUT",
            f"{B}/flows",
            {"content": f"id: f{unique()}\nnamespace: company.team\ntasks: [{{id: t, type: x}}]\n", "headers": YAML},
        ),
        statuses(CREATED, CREATED, FORBIDDEN),
    ),
    (
        "PUT",
        "/api/v1/{tenant}/flows",
        lambda w: (
            "PUT",
            f"{B}/flows",
            {"content": f"id: f{unique()}\nnamespace: hr\ntasks: [{{id: t, type: x}}]\n", "headers": YAML},
        ),
        statuses(CREATED, FORBIDDEN, FORBIDDEN),
    ),
    ("GET", "/api/v1/{tenant}/flows", lambda w: ("GET", f"{B}/flows", {}), READ_TEAM),
    (
        "GET",
        "/api/v1/{tenant}/flows/{namespace}/{id}",
        lambda w: ("GET", f"{B}/flows/company.team/select_assets", {}),
        READ_TEAM,
    ),
    ("GET", "/api/v1/{tenant}/flows/{namespace}/{id}", lambda w: ("GET", f"{B}/flows/hr/select_assets", {}), READ_HR),
    (
        "GET",
        "/api/v1/{tenant}/flows/{namespace}/{id}/revisions",
        lambda w: ("GET", f"{B}/flows/company.team/select_assets/revisions", {}),
        READ_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/flows/{namespace}/{id}/revisions",
        lambda w: ("GET", f"{B}/flows/hr/select_assets/revisions", {}),
        READ_HR,
    ),
    (
        "GET",
        "/api/v1/{tenant}/flows/{namespace}/{id}/inputs",
        lambda w: ("GET", f"{B}/flows/company.team/select_assets/inputs", {}),
        READ_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/flows/{namespace}/{id}/inputs",
        lambda w: ("GET", f"{B}/flows/hr/select_assets/inputs", {}),
        READ_HR,
    ),
    (
        "POST",
        "/api/v1/{tenant}/expressions",
        lambda w: ("POST", f"{B}/expressions", {"json": {"expression": "{{ assets() | length }}"}}),
        READ_TEAM,
    ),
    (
        "POST",
        "/api/v1/{tenant}/ship",
        lambda w: (
            "POST",
            f"{B}/ship",
            {"json": {"assetExporters": [{"id": "f", "type": "io.kestra.plugin.ee.assets.FileAssetExporter"}]}},
        ),
        WRITE_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/ship/files/{name}",
        lambda w: ("GET", f"{B}/ship/files/{w.facts['team_file']}", {}),
        READ_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/ship/files/{name}",
        lambda w: ("GET", f"{B}/ship/files/{w.facts['admin_file']}", {}),
        READ_HR,
    ),
    ("GET", "/api/v1/{tenant}/openlineage/events", lambda w: ("GET", f"{B}/openlineage/events", {}), READ_TEAM),
    (
        "POST",
        "/api/v1/{tenant}/openlineage/lineage",
        lambda w: ("POST", f"{B}/openlineage/lineage", {"json": ol_event("company.team")}),
        WRITE_TEAM,
    ),
    (
        "POST",
        "/api/v1/{tenant}/openlineage/lineage",
        lambda w: ("POST", f"{B}/openlineage/lineage", {"json": ol_event("hr")}),
        statuses(OK, FORBIDDEN, FORBIDDEN),
    ),
    ("POST", "/api/v1/lineage", lambda w: ("POST", "/api/v1/lineage", {"json": ol_event("company.team")}), WRITE_TEAM),
    (
        "POST",
        "/api/v1/{tenant}/openlineage/batch",
        lambda w: ("POST", f"{B}/openlineage/batch", {"json": [ol_event("company.team")]}),
        WRITE_TEAM,
    ),
    (  # per-event results: the editor's batch is answered, its `hr` event refused in the answer (test below)
        "POST",
        "/api/v1/{tenant}/openlineage/batch",
        lambda w: ("POST", f"{B}/openlineage/batch", {"json": [ol_event("hr")]}),
        statuses(OK, OK, FORBIDDEN),
    ),
    (
        "GET",
        "/api/v1/{tenant}/openlineage/runs/{runId}",
        lambda w: ("GET", f"{B}/openlineage/runs/{w.facts['team_run']}", {}),
        READ_TEAM,
    ),
    (
        "GET",
        "/api/v1/{tenant}/openlineage/runs/{runId}",
        lambda w: ("GET", f"{B}/openlineage/runs/{w.facts['hr_run']}", {}),
        READ_HR,
    ),
    *[
        (
            "GET",
            route,
            lambda w, url=url: ("GET", f"{B}/assets/{url}", {}),
            expected,
        )
        for ns, expected in (("company.team", READ_TEAM), ("hr", READ_HR))
        for route, url in (
            ("/api/v1/{tenant}/assets/{id}/columns", f"file%2F%2F{ns}-cols/columns"),
            ("/api/v1/{tenant}/assets/{id}/columns/{column}/impact", f"file%2F%2F{ns}-src/columns/a/impact"),
            ("/api/v1/{tenant}/assets/{id}/columns/{column}/upstream", f"file%2F%2F{ns}-cols/columns/b/upstream"),
        )
    ],
    ("GET", "/api/v1/{tenant}/stats", lambda w: ("GET", f"{B}/stats", {}), ADMIN_ONLY),
    ("GET", "/api/v1/{tenant}/outbox", lambda w: ("GET", f"{B}/outbox", {}), ADMIN_ONLY),
]

#: Routes served outside the API and checked elsewhere: OpenAPI documents and the web page's static files.
NOT_API = re.compile(r"^/schema|^/static|^/$")


def app_routes(world: World) -> set[tuple[str, str]]:
    out = set()
    for route in world.client.app.routes:
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        if NOT_API.match(path):
            continue
        for method in getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}:
            out.add((method, path))
    return out


def test_every_endpoint_has_rows(world: World) -> None:
    covered = {(m, p) for m, p, _, _ in ROWS}
    missing = app_routes(world) - covered
    assert not missing, f"endpoints without access rows: {sorted(missing)}"
    stale = covered - app_routes(world)
    assert not stale, f"rows for endpoints that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize(("row", "who"), list(itertools.product(range(len(ROWS)), WHO)), ids=lambda x: str(x))
def test_access(world: World, row: int, who: str) -> None:
    method, _route, build, expected = ROWS[row]
    verb, url, kwargs = build(world)
    headers = {**kwargs.pop("headers", {}), **world.headers(who)}
    response = world.client.request(verb, url, headers=headers, **kwargs)
    want = expected[who]
    assert response.status_code == want, f"{method} {url} as {who}: {response.status_code} {response.text[:300]}"
    if want >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        if want == MISSING:  # a hidden thing is not described, only denied
            assert "hr" not in response.json().get("detail", "").replace("hr.", "").replace("hr-", "")
    if want == UNAUTH:
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_lists_and_answers_hide_other_namespaces(world: World) -> None:
    viewer = world.headers("viewer")
    listing = world.client.get(f"{B}/assets", headers=viewer, params={"size": 1000}).json()
    assert {a["namespace"] for a in listing["results"]} == {"company.team"}
    assert "hr.salaries" not in str(world.client.get(f"{B}/openlineage/events", headers=viewer).json())
    expression = world.client.post(
        f"{B}/expressions", headers=viewer, json={"expression": "{{ assets() | jq('.[].id') }}"}
    ).json()["value"]
    assert "hr.salaries" not in expression and "team.table" in expression
    flows = world.client.get(f"{B}/flows", headers=viewer).json()
    assert {f["namespace"] for f in flows} == {"company.team"}


def test_a_batch_refuses_each_event_the_token_cannot_write(world: World) -> None:
    body = [ol_event("company.team"), ol_event("hr")]
    r = world.client.post(f"{B}/openlineage/batch", json=body, headers=world.headers("editor"))
    assert [i["status"] for i in r.json()["items"]] == [OK, FORBIDDEN]
    assert r.json()["items"][1]["problem"]["title"] == "Forbidden"
