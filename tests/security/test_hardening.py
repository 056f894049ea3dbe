"""Probed from outside as an adversary would (issue 21): small inputs that grow large inside, dates from the far
future, write errors about what the caller cannot see, locks, odd filters and regular expressions, and a type that
OpenLineage must not change. Each case failed before its fix; every one runs on both backends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from litestar.testing import TestClient

from app.asgi import create_app
from app.auth import check_grant, create_token
from app.settings import Settings
from app.store.base import GraphStore
from tests.api.test_assets_api import problem

YAML = {"content-type": "application/x-yaml"}
PRODUCER = "https://example.com/producer"
RUN_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"


class Callers:
    """One app with tokens of two teams (two tokens for team a) and an admin; each test takes its own tenant."""

    def __init__(self, client: TestClient, tokens: dict[str, str], tenant: str) -> None:
        self.client, self.tokens, self.base = client, tokens, f"/api/v1/{tenant}"

    def h(self, who: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}

    def put_asset(self, asset_id: str, namespace: str, type_: str = "io.kestra.plugin.ee.assets.Table") -> None:
        r = self.client.put(
            f"{self.base}/assets/{asset_id}", json={"type": type_, "namespace": namespace}, headers=self.h("admin")
        )
        assert r.status_code in (200, 201), r.text


@pytest.fixture
def callers(store: GraphStore, tmp_path: Path) -> Iterator[Callers]:
    tenant = "h" + uuid.uuid4().hex[:10]
    auth = tmp_path / "auth.yaml"
    tokens = {
        "a": create_token(auth, tenant=tenant, grants=[check_grant("teama:editor")], name="ci"),
        "a2": create_token(auth, tenant=tenant, grants=[check_grant("teama:editor")], name="ci"),  # same name
        "b": create_token(auth, tenant=tenant, grants=[check_grant("teamb:editor")], name="b"),
        "admin": create_token(auth, tenant=tenant, grants=[], admin=True, name="admin"),
    }
    app = create_app(Settings(data_dir=tmp_path / "unused", auth_file=auth, sandbox_prewarm=False), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Callers(client, tokens, tenant)


def run_event(outputs: list[dict], event_time: str = "2026-01-01T00:00:00Z", **run: object) -> dict:
    return {
        "eventType": "COMPLETE",
        "eventTime": event_time,
        "producer": PRODUCER,
        "schemaURL": RUN_SCHEMA,
        "run": {"runId": str(uuid.uuid4()), **run},
        "job": {"namespace": "teama", "name": "job"},
        "inputs": [{"namespace": "file", "name": "/src"}],
        "outputs": outputs,
    }


# -- 3. small inputs that grow large inside ----------------------------------------------------------------------


def long_keys_flow() -> str:
    """A 99 KB flow: 55 keys of 1,000 characters nested, then a list of 20,000 values (a path per value would be
    55,000 characters each: over a gigabyte)."""
    lines = ["  " * (d + 3) + f"{'k' * 1000}{d}:" for d in range(55)]
    lines.append("  " * 58 + "v: [" + ",".join(["1"] * 20_000) + "]")
    head = "id: wide\nnamespace: teama\ninputs:\n  - id: x\n    type: STRING\n    defaults: a\ntasks:\n  - id: t\n"
    return head + "    type: x\n    p:\n" + "\n".join(lines) + "\n"


def test_a_small_flow_does_not_expand_into_gigabytes(callers: Callers) -> None:
    me = psutil.Process()
    before = me.memory_info().rss
    r = callers.client.put(f"{callers.base}/flows", content=long_keys_flow(), headers=callers.h("a", **YAML))
    assert r.status_code == 201, r.text
    for _ in range(3):  # every viewer read parses it again
        inputs = callers.client.get(f"{callers.base}/flows/teama/wide/inputs", headers=callers.h("a"))
        assert inputs.status_code == 200 and inputs.json()[0]["id"] == "x", inputs.text
        assert callers.client.get(f"{callers.base}/flows/teama/wide", headers=callers.h("a")).status_code == 200
    grown = me.memory_info().rss - before
    assert grown < 150 * 1024 * 1024, f"the server grew by {grown / 1e6:.0f} MB"


def test_column_edges_per_run_are_capped(callers: Callers) -> None:
    columns = {f"c{i}": {"inputFields": []} for i in range(5_000)}
    lineage = {
        "_producer": PRODUCER,
        "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json",
        "fields": columns,
        "dataset": [{"namespace": "file", "name": f"/src{i}", "field": "x"} for i in range(40)],
    }
    event = run_event([{"namespace": "file", "name": "/wide", "facets": {"columnLineage": lineage}}])
    r = callers.client.post(f"{callers.base}/openlineage/lineage", json=event, headers=callers.h("a"))
    body = problem(r, 422, "outputs")
    assert (
        body["limit"] == "columnEdges" and "200000" in body["detail"] and "LINEAGE_MAX_COLUMN_EDGES" in body["detail"]
    )
    run = callers.client.get(f"{callers.base}/openlineage/runs/{event['run']['runId']}", headers=callers.h("a"))
    assert run.status_code == 404  # nothing of it was stored


def test_deeply_nested_json_is_a_400(callers: Callers) -> None:
    deep = b"[" * 5_000 + b"]" * 5_000
    for path in ("/openlineage/lineage", "/openlineage/batch", "/executions", "/expressions"):
        r = callers.client.post(
            callers.base + path, content=deep, headers=callers.h("a", **{"content-type": "application/json"})
        )
        assert r.status_code == 400, (path, r.text)


# -- 4. dates from the far future --------------------------------------------------------------------------------


def test_far_future_and_malformed_times_are_refused_per_item(callers: Callers) -> None:
    far = run_event([{"namespace": "file", "name": "/t"}], event_time="9999-12-31T23:59:59Z")
    problem(
        callers.client.post(f"{callers.base}/openlineage/lineage", json=far, headers=callers.h("a")), 400, "eventTime"
    )
    bad = run_event([{"namespace": "file", "name": "/t"}], event_time="yesterday")
    problem(
        callers.client.post(f"{callers.base}/openlineage/lineage", json=bad, headers=callers.h("a")), 400, "eventTime"
    )
    execution = {
        "namespace": "teama",
        "flowId": "f",
        "startDate": "9999-12-31T23:59:59Z",
        "taskRuns": [{"taskId": "t", "assets": {"inputs": [{"id": "x"}], "outputs": [{"id": "y"}]}}],
    }
    problem(callers.client.post(f"{callers.base}/executions", json=execution, headers=callers.h("a")), 400, "startDate")
    good = [run_event([{"namespace": "file", "name": f"/ok{i}"}]) for i in range(2)]
    r = callers.client.post(
        f"{callers.base}/openlineage/batch", json=[good[0], bad, far, good[1]], headers=callers.h("a")
    )
    assert r.status_code == 200, r.text
    assert [i["status"] for i in r.json()["items"]] == [200, 400, 400, 200]
    assert [i["problem"]["field"] for i in r.json()["items"][1:3]] == ["eventTime", "eventTime"]


def test_a_refused_future_run_leaves_later_real_runs_current(callers: Callers) -> None:
    def job_run(source: str, when: str) -> dict:
        event = run_event([{"namespace": "file", "name": "/target"}], event_time=when)
        event["inputs"] = [{"namespace": "file", "name": source}]
        return event

    post = callers.client.post
    assert (
        post(
            f"{callers.base}/openlineage/lineage", json=job_run("/old", "2026-01-01T00:00:00Z"), headers=callers.h("a")
        ).status_code
        == 200
    )
    assert (
        post(
            f"{callers.base}/openlineage/lineage",
            json=job_run("/future", "9999-01-01T00:00:00Z"),
            headers=callers.h("a"),
        ).status_code
        == 400
    )
    assert (
        post(
            f"{callers.base}/openlineage/lineage", json=job_run("/new", "2026-02-01T00:00:00Z"), headers=callers.h("a")
        ).status_code
        == 200
    )
    upstream = callers.client.get(f"{callers.base}/assets/file%2F%2Ftarget/upstream", headers=callers.h("a")).json()
    assert [a["id"] for a in upstream["results"]] == ["file//new"]


# -- 5. write errors say nothing of what the caller cannot see ----------------------------------------------------


def test_writing_another_namespaces_asset_does_not_name_it(callers: Callers) -> None:
    callers.put_asset("secret.table", "teamb.private")
    execution = {
        "namespace": "teama",
        "flowId": "f",
        "taskRuns": [{"taskId": "t", "assets": {"inputs": [], "outputs": [{"id": "secret.table"}]}}],
    }
    r = callers.client.post(f"{callers.base}/executions", json=execution, headers=callers.h("a"))
    assert r.status_code == 403 and "teamb" not in r.text, r.text
    symlinked = run_event(
        [
            {
                "namespace": "file",
                "name": "/x",
                "facets": {
                    "symlinks": {
                        "_producer": PRODUCER,
                        "_schemaURL": "https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json",
                        "identifiers": [
                            {
                                "namespace": f"kestra://{callers.base.split('/')[3]}",
                                "name": "secret.table",
                                "type": "ASSET",
                            }
                        ],
                    }
                },
            }
        ]
    )
    r = callers.client.post(f"{callers.base}/openlineage/lineage", json=symlinked, headers=callers.h("a"))
    assert r.status_code == 403 and "teamb" not in r.text, r.text
    # a caller who may read it is told where it is
    own = callers.client.post(
        f"{callers.base}/executions", json={**execution, "namespace": "teamb"}, headers=callers.h("b")
    )
    assert own.status_code == 201, own.text


# -- 7. locks belong to the token that took them -----------------------------------------------------------------


def test_a_lock_is_held_by_its_token_and_an_admin_releases_any(callers: Callers) -> None:
    callers.put_asset("orders", "teama")
    lock = f"{callers.base}/assets/orders/lock"
    assert (
        callers.client.post(lock, json={"executionId": "e1", "ttl": "PT1H"}, headers=callers.h("a")).status_code == 200
    )
    # another token (same name, same team) naming the same execution is another holder
    r = callers.client.post(lock, json={"executionId": "e1", "ttl": "P7D"}, headers=callers.h("a2"))
    assert r.status_code == 409, r.text
    callers.client.delete(lock, params={"executionId": "e1"}, headers=callers.h("a2"))
    held = callers.client.get(f"{callers.base}/assets/orders", headers=callers.h("a")).json()["lock"]
    assert held is not None and held["executionId"] == "e1"
    assert callers.client.delete(lock, headers=callers.h("admin")).status_code in (200, 204)
    assert callers.client.get(f"{callers.base}/assets/orders", headers=callers.h("a")).json()["lock"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"executionId": "e" * 101}, "executionId"),
        ({"executionId": "bad id"}, "executionId"),
        ({"ttl": "PT0.000001S"}, "ttl"),
        ({"ttl": "P99999999999D"}, "ttl"),
        ({"ttl": "P8D"}, "ttl"),
    ],
)
def test_lock_requests_out_of_bounds(callers: Callers, body: dict, field: str) -> None:
    callers.put_asset("orders", "teama")
    r = callers.client.post(f"{callers.base}/assets/orders/lock", json=body, headers=callers.h("a"))
    assert r.status_code in (400, 422) and field in r.text, r.text
    long_release = callers.client.delete(
        f"{callers.base}/assets/orders/lock", params={"executionId": "e" * 101}, headers=callers.h("a")
    )
    assert long_release.status_code == 400, long_release.text  # one rule for the id, on both routes


# -- 8. odd filters and regular expressions the database refuses ---------------------------------------------------


def test_filter_indexes_are_ascii_digits(callers: Callers) -> None:
    for index in ("²", "٣", "1" * 6, "-1"):
        r = callers.client.get(
            f"{callers.base}/assets/search", params={f"filters[or][{index}][id][EQUALS]": "x"}, headers=callers.h("a")
        )
        assert r.status_code == 400, (index, r.text)


DIALECT_PATTERNS = [r"(a)\1", r"(?=a)", r"a\Z", "a{1001}"]


@pytest.mark.parametrize("pattern", DIALECT_PATTERNS)
def test_a_pattern_is_checked_by_the_databases_own_engine(callers: Callers, backend: str, pattern: str) -> None:
    callers.put_asset("aaa", "teama")
    r = callers.client.get(
        f"{callers.base}/assets/search", params={"filters[id][REGEX]": pattern}, headers=callers.h("a")
    )
    if backend == "ladybug":  # RE2 has none of these: the search would silently find nothing
        body = problem(r, 400, "filters[id][REGEX]")
        assert "RE2" in body["detail"]
    else:  # java.util.regex runs all four
        assert r.status_code == 200, r.text


def test_a_backtracking_pattern_is_refused_before_it_runs(callers: Callers) -> None:
    """`(.*a)` eight times then `b` took Neo4j 35 s on a 60-character id, and java.util.regex does not yield to the
    transaction's timeout while it matches: such a pattern is refused before any database sees it."""
    callers.put_asset("a" * 60, "teama")
    for pattern in ("(.*a)" * 8 + "b", "(a|aa)*b", "(a+)+b"):
        r = callers.client.get(
            f"{callers.base}/assets/search", params={"filters[id][REGEX]": pattern}, headers=callers.h("a")
        )
        problem(r, 400, "filters[id][REGEX]")


def test_a_search_with_a_pattern_is_stopped_by_the_database_past_its_limit(
    callers: Callers, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pattern the rules let through can still be slow on a backtracking engine: `.*a.*a.*b` costs Neo4j about
    70 ms on each 512-character id of `a`s (cubic). The search's time limit is the database's own (a transaction
    timeout), and past it the answer is a 422 naming the filter."""
    from app.services import filtering

    items = [{"id": "a" * 500 + f"{i:012d}", "type": "x", "namespace": "teama"} for i in range(300)]
    assert callers.client.put(f"{callers.base}/assets", json=items, headers=callers.h("admin")).status_code == 200
    search = f"{callers.base}/assets/search"
    r = callers.client.get(search, params={"filters[id][REGEX]": ".*a.*a.*b"}, headers=callers.h("a"))
    if backend == "neo4j":  # unbounded, about 20 s
        body = problem(r, 422, "filters[id][REGEX]")
        assert "longer than" in body["detail"]
        return
    assert r.status_code == 200 and r.json()["total"] == 0, r.text  # RE2 is linear: no search is slow here
    monkeypatch.setattr(filtering, "REGEX_SEARCH_S", 0.001)  # so show the same limit with one too short for any
    body = problem(callers.client.get(search, params={"filters[id][REGEX]": "a.*"}, headers=callers.h("a")), 422)
    assert body["field"] == "filters[id][REGEX]" and "longer than" in body["detail"]


def test_a_number_too_long_to_print_is_a_4xx(callers: Callers) -> None:
    for expression in ("{{ ((10 ** 60) ** 60) ** 2 }}", "x {{ ((10 ** 60) ** 60) ** 2 }}"):
        r = callers.client.post(f"{callers.base}/expressions", json={"expression": expression}, headers=callers.h("a"))
        assert r.status_code == 422, r.text


# -- 9. OpenLineage does not change a registered type --------------------------------------------------------------


def test_an_openlineage_output_keeps_the_registered_type(callers: Callers) -> None:
    callers.put_asset("file%2F%2Fregistered", "teama")
    event = run_event([{"namespace": "file", "name": "/registered"}])
    assert (
        callers.client.post(f"{callers.base}/openlineage/lineage", json=event, headers=callers.h("a")).status_code
        == 200
    )
    asset = callers.client.get(f"{callers.base}/assets/file%2F%2Fregistered", headers=callers.h("a")).json()
    assert asset["type"] == "io.kestra.plugin.ee.assets.Table"
    fresh = run_event([{"namespace": "file", "name": "/fresh"}])
    assert (
        callers.client.post(f"{callers.base}/openlineage/lineage", json=fresh, headers=callers.h("a")).status_code
        == 200
    )
    created = callers.client.get(f"{callers.base}/assets/file%2F%2Ffresh", headers=callers.h("a")).json()
    assert created["type"] == "io.kestra.plugin.ee.assets.Dataset"  # a new output is still a Dataset
