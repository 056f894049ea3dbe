"""OpenLineage runs on every backend: events merged per runId in any order, failed runs kept out of the current
lineage, parent and child runs linked, and column lineage re-drawn when a run changes."""

from __future__ import annotations

import copy
import json
import threading
import uuid
from typing import Any

import pytest

from app.domain.access import Scope, open_scope
from app.domain.keys import lineage_run_key
from app.errors import Forbidden, NotFound
from app.packing import PREFIX, unpack
from app.services import assets as assets_svc
from app.services import columns as columns_svc
from app.services import openlineage as ol
from app.services import usages as usages_svc
from app.services.group_commit import GroupCommit
from app.services.run_merging import merge_items
from app.store.base import GraphStore
from app.store.model import RUN_PROPERTIES
from tests.contract.test_lineage import answer

PG = "postgres://db:5432"


def ds(name: str, **facets: Any) -> dict[str, Any]:
    return {"namespace": PG, "name": name, "facets": facets}


def event(kind: str, run_id: str, time: str, inputs: list[dict], outputs: list[dict], job: str = "etl.load") -> dict:
    return {
        "eventType": kind,
        "eventTime": time,
        "producer": "https://github.com/apache/airflow",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": run_id, "facets": {}},
        "job": {"namespace": "airflow-prod", "name": job, "facets": {}},
        "inputs": inputs,
        "outputs": outputs,
    }


def lineage_facet(fields: dict[str, list[tuple[str, str, str]]]) -> dict[str, Any]:
    """columnLineage: output column -> [(input dataset, input column, TYPE/SUBTYPE)]."""
    producer = "https://github.com/OpenLineage/OpenLineage"
    return {
        "_producer": producer,
        "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json",
        "fields": {
            out: {
                "inputFields": [
                    {
                        "namespace": PG,
                        "name": name,
                        "field": col,
                        "transformations": [{"type": kind.split("/")[0], "subtype": kind.split("/")[1]}],
                    }
                    for name, col, kind in sources
                ]
            }
            for out, sources in fields.items()
        },
    }


def apply(store: GraphStore, scope: Scope, *events: dict) -> list[ol.IngestResult]:
    return [ol.ingest(store, scope, e) for e in events]


def downstream(store: GraphStore, tenant: str, name: str, **kw: object) -> dict[str, int]:
    return answer(store, tenant, f"{PG}/{name}", **kw)


def test_a_run_records_the_union_of_its_events_in_any_order(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    run = str(uuid.uuid4())
    start = event("START", run, "2026-03-01T10:00:00Z", [ds("raw.a")], [])
    running = event("RUNNING", run, "2026-03-01T10:00:30Z", [ds("raw.b")], [ds("mart.x")])
    complete = event("COMPLETE", run, "2026-03-01T10:01:00Z", [], [ds("mart.y")])
    # the end arrives first: recorded from what is known, then recorded again as the rest arrives
    first = apply(store, scope, complete)[0]
    assert first.recorded and first.runState == "COMPLETE" and first.assets == [f"{PG}/mart.y"]
    results = apply(store, scope, running, start)
    assert [r.recorded for r in results] == [True, True]
    expected = {f"{PG}/mart.x": 1, f"{PG}/mart.y": 1}
    assert downstream(store, tenant, "raw.a") == expected == downstream(store, tenant, "raw.b")
    # every event again, in another order: nothing changes
    again = apply(store, scope, start, complete, running)
    assert [r.recorded for r in again] == [False, False, False]
    assert {r.note for r in again} == {"already received: nothing changed"}
    detail = ol.get_run(store, scope, run)
    assert detail.state == "COMPLETE" and detail.events == 3 and detail.executionId == run
    assert detail.eventTypes == ["START", "RUNNING", "COMPLETE"]
    assert (detail.startTime, detail.endTime) == ("2026-03-01T10:00:00.000000Z", "2026-03-01T10:01:00.000000Z")
    assert len(detail.inputs) == 2 and len(detail.outputs) == 2


def test_a_run_stored_before_documents_were_packed_keeps_merging(store: GraphStore, tenant: str) -> None:
    """A run's document is stored packed (app/packing.py); one stored as JSON text by an earlier version is read as it
    is, and the run's next event stores it packed."""
    scope = open_scope(tenant)
    run = str(uuid.uuid4())
    apply(store, scope, event("START", run, "2026-03-01T10:00:00Z", [ds("raw.a")], []))
    key = lineage_run_key(tenant, run)
    stored = store.read(lambda tx: tx.run("lineage_run_get", key=key))[0]["r"]
    assert stored["document"].startswith(PREFIX)
    text = unpack(stored["document"]).decode()
    assert json.loads(text)["events"][0]["event"]["eventType"] == "START"
    row = {k: stored.get(k) for k in RUN_PROPERTIES}
    store.write(lambda tx: tx.run("lineage_runs_update", rows=[{**row, "document": text}]))
    apply(store, scope, event("COMPLETE", run, "2026-03-01T10:01:00Z", [], [ds("mart.x")]))
    detail = ol.get_run(store, scope, run)
    assert detail.state == "COMPLETE" and detail.eventTypes == ["START", "COMPLETE"]
    assert downstream(store, tenant, "raw.a") == {f"{PG}/mart.x": 1}
    after = store.read(lambda tx: tx.run("lineage_run_get", key=key))[0]["r"]["document"]
    assert after.startswith(PREFIX) and len(json.loads(unpack(after))["events"]) == 2


def test_a_run_that_has_not_ended_records_nothing_unless_it_streams(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    batch = event("START", str(uuid.uuid4()), "2026-03-01T10:00:00Z", [ds("s.in")], [ds("s.out")], job="batch")
    result = apply(store, scope, batch)[0]
    assert not result.recorded and result.runState == "RUNNING"
    with pytest.raises(NotFound):
        downstream(store, tenant, "s.in")  # not even registered yet
    stream = event("START", str(uuid.uuid4()), "2026-03-01T10:00:00Z", [ds("k.in")], [ds("k.out")], job="flink")
    stream["job"]["facets"]["jobType"] = {
        "_producer": "https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink",
        "_schemaURL": "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json",
        "processingType": "STREAMING",
        "integration": "FLINK",
        "jobType": "JOB",
    }
    assert apply(store, scope, stream)[0].recorded
    assert downstream(store, tenant, "k.in") == {f"{PG}/k.out": 1}


def test_failed_runs_are_history_and_the_last_success_stays_current(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    ok, failed, aborted = (str(uuid.uuid4()) for _ in range(3))
    apply(store, scope, event("COMPLETE", ok, "2026-03-01T10:00:00Z", [ds("f.in")], [ds("f.good")]))
    apply(store, scope, event("FAIL", failed, "2026-03-02T10:00:00Z", [ds("f.in")], [ds("f.partial")]))
    apply(store, scope, event("ABORT", aborted, "2026-03-03T10:00:00Z", [ds("f.in")], [ds("f.aborted")]))
    assert downstream(store, tenant, "f.in") == {f"{PG}/f.good": 1}
    assert downstream(store, tenant, "f.in", history=True) == {
        f"{PG}/f.good": 1,
        f"{PG}/f.partial": 1,
        f"{PG}/f.aborted": 1,
    }
    assert ol.get_run(store, scope, failed).state == "FAIL"
    states = {u.executionId: u.state for u in usages_svc.asset_usages(store, scope, f"{PG}/f.in").results}
    assert states == {ok: "SUCCESS", failed: "FAILED", aborted: "KILLED"}
    # a later success that writes another output leaves the earlier one's lineage current (it is decided per
    # output of the job) ...
    later, latest = str(uuid.uuid4()), str(uuid.uuid4())
    apply(store, scope, event("COMPLETE", later, "2026-03-04T10:00:00Z", [ds("f.in")], [ds("f.newer")]))
    assert downstream(store, tenant, "f.in") == {f"{PG}/f.good": 1, f"{PG}/f.newer": 1}
    # ... and one that writes the same output from other inputs takes it over
    apply(store, scope, event("COMPLETE", latest, "2026-03-05T10:00:00Z", [ds("f.other")], [ds("f.good")]))
    assert downstream(store, tenant, "f.in") == {f"{PG}/f.newer": 1}


def test_parent_runs_link_to_their_children_whichever_arrives_first(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    parent, child_a, child_b = (str(uuid.uuid4()) for _ in range(3))
    facet = {
        "_producer": "https://github.com/apache/airflow",
        "_schemaURL": "https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json",
        "run": {"runId": parent},
        "job": {"namespace": "airflow-prod", "name": "etl"},
    }
    children = []
    for run, task in ((child_a, "etl.extract"), (child_b, "etl.load")):
        e = event("COMPLETE", run, "2026-03-01T10:00:00Z", [], [ds(task)], job=task)
        e["run"]["facets"]["parent"] = facet
        children.append(e)
    apply(store, scope, children[0])
    placeholder = ol.get_run(store, scope, parent)
    assert placeholder.state == "UNKNOWN" and [c.runId for c in placeholder.children] == [child_a]
    apply(store, scope, event("START", parent, "2026-03-01T09:59:00Z", [], [], job="etl"), children[1])
    detail = ol.get_run(store, scope, parent)
    assert detail.state == "RUNNING" and sorted(c.runId for c in detail.children) == sorted([child_a, child_b])
    assert ol.get_run(store, scope, child_b).parent is not None
    assert ol.get_run(store, scope, child_b).parent.runId == parent  # type: ignore[union-attr]


def test_column_lineage_is_redrawn_when_a_run_changes_and_demoted_by_a_newer_run(
    store: GraphStore, tenant: str
) -> None:
    scope = open_scope(tenant)
    run = str(uuid.uuid4())
    first = lineage_facet({"total": [("c.orders", "amount", "DIRECT/AGGREGATION")]})
    out = ds("c.summary", columnLineage=first)
    apply(store, scope, event("COMPLETE", run, "2026-03-01T10:00:00Z", [ds("c.orders")], [out]))
    impact = columns_svc.column_lineage(store, scope, f"{PG}/c.orders", "amount", "downstream")
    assert [(i.column, i.distance, i.route[0].transformations) for i in impact.items] == [
        ("total", 1, ["DIRECT/AGGREGATION"])
    ]
    # an OTHER event of the same run corrects the facet: the old column edge goes, the new one is drawn
    fixed = lineage_facet({"total": [("c.orders", "price", "DIRECT/AGGREGATION")]})
    apply(store, scope, event("OTHER", run, "2026-03-01T10:02:00Z", [], [ds("c.summary", columnLineage=fixed)]))
    assert columns_svc.column_lineage(store, scope, f"{PG}/c.orders", "amount", "downstream").items == []
    assert [
        i.column for i in columns_svc.column_lineage(store, scope, f"{PG}/c.orders", "price", "downstream").items
    ] == ["total"]
    # a newer run of the job draws other columns: the older run's edges are history
    newer = lineage_facet({"count": [("c.orders", "id", "INDIRECT/GROUP_BY")]})
    apply(
        store,
        scope,
        event(
            "COMPLETE",
            str(uuid.uuid4()),
            "2026-03-02T10:00:00Z",
            [ds("c.orders")],
            [ds("c.summary", columnLineage=newer)],
        ),
    )
    assert columns_svc.column_lineage(store, scope, f"{PG}/c.orders", "price", "downstream").items == []
    history = columns_svc.column_lineage(store, scope, f"{PG}/c.orders", "price", "downstream", history=True)
    assert [i.column for i in history.items] == ["total"]
    names = [c.name for c in columns_svc.list_columns(store, scope, f"{PG}/c.summary").columns]
    assert names == ["count", "total"]


def test_runs_and_columns_follow_namespace_grants(store: GraphStore, tenant: str) -> None:
    owner = open_scope(tenant)
    run = str(uuid.uuid4())
    facet = lineage_facet({"x": [("g.src", "a", "DIRECT/IDENTITY")]})
    apply(
        store, owner, event("COMPLETE", run, "2026-03-01T10:00:00Z", [ds("g.src")], [ds("g.dst", columnLineage=facet)])
    )
    outsider = Scope(tenant=tenant, read=("other",), write=("other",))
    with pytest.raises(NotFound):
        ol.get_run(store, outsider, run)
    with pytest.raises(NotFound):
        columns_svc.column_lineage(store, outsider, f"{PG}/g.src", "a", "downstream")
    with pytest.raises(NotFound):
        columns_svc.list_columns(store, outsider, f"{PG}/g.dst")
    late = event("OTHER", run, "2026-03-01T10:05:00Z", [], [])
    with pytest.raises(Forbidden):
        ol.ingest(store, outsider, late)  # another tenant's writer cannot add to the run
    reader = Scope(tenant=tenant, read=("airflow-prod",), write=())
    assert [i.column for i in columns_svc.column_lineage(store, reader, f"{PG}/g.src", "a", "downstream").items] == [
        "x"
    ]


@pytest.mark.parametrize("grouped", [False, True], ids=["alone", "group-committed"])
def test_events_of_one_run_arriving_together_all_count(store: GraphStore, tenant: str, grouped: bool) -> None:
    """Eight writers post eight events of one new run at once: the run ends up with every one of them (each in a
    transaction of its own, or through the group commit, which never puts two events of one run in one batch)."""
    committer = GroupCommit(store, write=merge_items, key=lambda item: item.key) if grouped else None
    scope = open_scope(tenant)
    run = str(uuid.uuid4())
    events = [event("RUNNING", run, f"2026-03-01T10:00:0{i}Z", [ds(f"p.in{i}")], [ds("p.out")]) for i in range(7)] + [
        event("COMPLETE", run, "2026-03-01T10:00:09Z", [], [ds("p.out")])
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(events))

    def post(e: dict) -> None:
        barrier.wait()
        try:
            ol.ingest(store, scope, copy.deepcopy(e), committer=committer)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ol.get_run(store, scope, run).events == 8
    assert answer(store, tenant, f"{PG}/p.in6") == {f"{PG}/p.out": 1}
    assert {u for i in range(7) for u in answer(store, tenant, f"{PG}/p.in{i}")} == {f"{PG}/p.out"}


def test_a_sql_parsers_ctes_are_not_tables(store: GraphStore, tenant: str) -> None:
    """dbt-ol names a model's CTEs (`source`, `renamed`) as the datasets its columns come from: they make no
    asset, no table edge and no column edge; the declared input stays the upstream."""
    scope = open_scope(tenant)
    facet = lineage_facet(
        {"id": [("source", "id", "DIRECT/IDENTITY")], "status": [("renamed", "status", "DIRECT/IDENTITY")]}
    )
    run = str(uuid.uuid4())
    (result,) = apply(
        store,
        scope,
        event("COMPLETE", run, "2026-03-01T10:00:00Z", [ds("raw_orders")], [ds("stg_orders", columnLineage=facet)]),
    )
    assert answer(store, tenant, f"{PG}/stg_orders", upstream=True) == {f"{PG}/raw_orders": 1}
    for cte in ("source", "renamed"):
        with pytest.raises(NotFound):
            assets_svc.get_asset(store, scope, f"{PG}/{cte}")
    page = columns_svc.column_lineage(store, scope, f"{PG}/stg_orders", "id", "upstream")
    assert page.items == []  # no column edge from a CTE
    assert result.note and "source" in result.note and "renamed" in result.note


def test_data_quality_results_are_shown_on_the_asset_they_test(store: GraphStore, tenant: str) -> None:
    """dbt reports each test's result as a `dataQualityAssertions` input facet of the table it read: the asset answers
    the latest result of each check (a table can read as fresh while its tests fail) and their history."""
    from app.services.checks import asset_checks

    scope = open_scope(tenant)

    def tested(when: str, not_null: bool, job: str) -> dict:
        facet = {
            "_producer": "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python",
            "_schemaURL": "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json",
            "assertions": [
                {
                    "assertion": "not_null",
                    "success": not_null,
                    "column": "order_id",
                    "actual": "0" if not_null else "3",
                },
                {"assertion": "unique", "success": True, "column": "order_id"},
            ],
        }
        dataset = {"namespace": PG, "name": "q.orders", "inputFacets": {"dataQualityAssertions": facet}}
        kind = "COMPLETE" if not_null else "FAIL"
        return event(kind, str(uuid.uuid4()), when, [dataset], [], job=job)

    apply(store, scope, tested("2026-03-01T10:00:00Z", True, "test.q.orders"))
    apply(store, scope, tested("2026-03-02T10:00:00Z", False, "test.q.orders"))
    checks = asset_checks(store, scope, f"{PG}/q.orders")
    latest = {(c.assertion, c.column): (c.success, c.actual) for c in checks.latest}
    assert latest == {("not_null", "order_id"): (False, "3"), ("unique", "order_id"): (True, None)}
    assert (checks.passing, checks.failing) == (1, 1)
    assert [c.success for c in checks.history if c.assertion == "not_null"] == [False, True]  # newest first
    hidden = Scope(tenant=tenant, read=("other",), write=())
    with pytest.raises(NotFound):
        asset_checks(store, hidden, f"{PG}/q.orders")
