"""Events from real producer runs (Airflow, dbt, Spark, Flink: tests/data/openlineage/, see its README) through the
batch endpoint, on every backend: every event is accepted, and every asset and column answer equals a breadth-first
search computed here from the events themselves (not from the service's own merge)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from tests.api.test_assets_api import problem
from tests.api.test_openlineage_api import pull_all
from tests.contract.test_lineage import bfs

CORPUS = Path(__file__).resolve().parents[1] / "data" / "openlineage"
TERMINAL = ("COMPLETE", "FAIL", "ABORT")
Edge = tuple[Any, Any]


def corpus_lines() -> list[str]:
    return [line for p in sorted(CORPUS.glob("*.jsonl")) for line in p.read_text().splitlines() if line.strip()]


def expected_edges(events: list[dict]) -> tuple[set[Edge], set[Edge]]:
    """Asset and column edges of the runs that count: ended with COMPLETE (the latest terminal event), or
    streaming; a column edge from a dataset the run does not declare (a SQL CTE) is not one."""
    runs: dict[str, list[dict]] = {}
    for e in events:
        runs.setdefault(e["run"]["runId"], []).append(e)
    assets: set[Edge] = set()
    columns: set[Edge] = set()
    for evs in runs.values():
        evs.sort(key=lambda e: e["eventTime"])
        ends = [e["eventType"] for e in evs if e["eventType"] in TERMINAL]
        streaming = any(
            ((e["job"].get("facets") or {}).get("jobType") or {}).get("processingType") == "STREAMING" for e in evs
        )
        if not (ends and ends[-1] == "COMPLETE") and not streaming:
            continue
        ins = {f"{d['namespace']}/{d['name']}" for e in evs for d in e.get("inputs") or []}
        outs = {f"{d['namespace']}/{d['name']}" for e in evs for d in e.get("outputs") or []}
        for e in evs:
            for d in e.get("outputs") or []:
                target = f"{d['namespace']}/{d['name']}"
                for out_col, spec in (((d.get("facets") or {}).get("columnLineage") or {}).get("fields") or {}).items():
                    for i in spec["inputFields"]:
                        source = f"{i['namespace']}/{i['name']}"
                        if source in ins | outs:
                            columns.add(((source, i["field"]), (target, out_col)))
        assets |= {(i, o) for i in ins for o in outs}
    return assets, columns


def enc(text: str) -> str:
    return text.replace("%", "%25").replace("/", "%2F")


def assert_answers_match(client: TestClient, base: str, assets: set[Edge], columns: set[Edge]) -> int:
    checked = 0
    for asset in {a for edge in assets for a in edge}:
        for kind, upstream in (("impact", False), ("upstream", True)):
            got = client.get(f"{base}/assets/{enc(asset)}/{kind}", params={"size": 1000}).json()
            assert "results" in got, (asset, got)
            assert {r["id"]: r["distance"] for r in got["results"]} == bfs(list(assets), asset, upstream), (asset, kind)
            checked += 1
    for column in {c for edge in columns for c in edge}:
        for kind, upstream in (("impact", False), ("upstream", True)):
            got = client.get(f"{base}/assets/{enc(column[0])}/columns/{enc(column[1])}/{kind}").json()
            reached = {(i["assetId"], i["column"]): i["distance"] for i in got["items"]}
            assert reached == bfs(list(columns), column, upstream), (column, kind)
            for item in got["items"]:
                assert len(item["route"]) == item["distance"] and item["route"][-1]["column"] == item["column"]
            checked += 1
    return checked


def test_real_producer_events_through_a_batch_match_a_bfs_of_the_events(client: TestClient, base: str) -> None:
    lines = corpus_lines()
    events = [json.loads(line) for line in lines]
    assert {e["producer"].split("/integration/")[-1] for e in events} == {"airflow", "dbt", "spark", "flink"}
    r = client.post(f"{base}/openlineage/batch", content="\n".join(lines).encode())
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["received"], body["applied"], body["failed"]) == (len(events), len(events), 0)
    assets, columns = expected_edges(events)
    assert len(assets) >= 8 and len(columns) >= 20
    assert assert_answers_match(client, base, assets, columns) >= 2 * (len(assets) + len(columns)) // 2
    # failed runs: recorded, not current (Airflow's failing task, Flink's failed job)
    failing = next(e for e in events if e["eventType"] == "FAIL")
    run = client.get(f"{base}/openlineage/runs/{failing['run']['runId']}").json()
    assert run["state"] == "FAIL" and run["executionId"] == failing["run"]["runId"]
    assert client.get(f"{base}/executions/{run['executionId']}").json()["state"] == "FAILED"
    # Airflow's DAG run links its task runs; dbt's run links its models
    bash_parent = failing["run"]["facets"].get("parent") or next(
        e["run"]["facets"]["parent"] for e in events if "parent" in e["run"]["facets"]
    )
    parent = client.get(f"{base}/openlineage/runs/{bash_parent['run']['runId']}").json()
    assert len(parent["children"]) >= 2
    # the asset page's column list: Spark's schema facet gives types
    cols = client.get(f"{base}/assets/{enc('file//tmp/cll_test/tbl1')}/columns").json()["columns"]
    assert {(c["name"], c["type"]) for c in cols} == {("ident", "integer"), ("trans", "string"), ("agg", "long")}
    # the whole batch again: nothing changes
    again = client.post(f"{base}/openlineage/batch", content="\n".join(lines).encode()).json()
    assert again["applied"] == len(events) and not any(i["result"]["recorded"] for i in again["items"])


def test_the_pull_feed_replays_into_another_tenant_with_its_column_lineage(
    client: TestClient, base: str, ol_spec
) -> None:  # type: ignore[no-untyped-def]
    lines = corpus_lines()
    assert client.post(f"{base}/openlineage/batch", content="\n".join(lines).encode()).json()["failed"] == 0
    pulled = pull_all(client, base)
    for e in pulled:
        ol_spec.assert_valid(e)
    with_columns = [d for e in pulled for d in e["outputs"] if "columnLineage" in d["facets"]]
    assert {d["facets"]["kestra_asset"]["id"] for d in with_columns} >= {
        "file//tmp/cll_test/tbl1",
        "postgres://localhost:5432/dbt_test.main.customer_analytics",
    }
    copy_base = base + "copy"
    r = client.post(f"{copy_base}/openlineage/batch", content=json.dumps(pulled).encode())
    assert r.status_code == 200 and r.json()["failed"] == 0, r.text
    assets, columns = expected_edges([json.loads(line) for line in lines])
    assert_answers_match(client, copy_base, assets, columns)


def test_batches_answer_per_event_and_refuse_what_they_cannot_hold(client: TestClient, base: str) -> None:
    good = corpus_lines()[:2]
    body = "\n".join([good[0], "{not json", json.dumps({"eventType": "START"}), good[1], ""]).encode()
    r = client.post(f"{base}/openlineage/batch", content=body, headers={"content-type": "application/x-ndjson"})
    items = r.json()["items"]
    assert [i["status"] for i in items] == [200, 400, 400, 200]
    assert items[1]["problem"]["field"] == "line 2" and "schema" in items[2]["problem"]["detail"]
    as_array = client.post(f"{base}/openlineage/batch", content=("[" + ",".join(good) + "]").encode()).json()
    assert as_array["applied"] == 2
    problem(client.post(f"{base}/openlineage/batch", content=b"[1,"), 400, "body")
    problem(client.post(f"{base}/openlineage/batch", content=b"   "), 400, "body")
    too_many = ("[" + ",".join(["{}"] * 10_001) + "]").encode()
    problem(client.post(f"{base}/openlineage/batch", content=too_many), 413, "body")
    problem(client.get(f"{base}/openlineage/runs/0b0a5c7e-0000-4000-8000-000000000000"), 404, "runId")
    problem(client.get(f"{base}/assets/nope/columns/x/impact"), 404, "id")
