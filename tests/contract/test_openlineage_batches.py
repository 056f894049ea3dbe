"""A batch of OpenLineage events merged set-based (several runs per transaction: app/services/run_merging.py)
leaves the graph exactly as merging its runs one transaction each: random batches with runs split over several
events, replays, failed runs, runs recorded again with other content, parents named before their own events, column
lineage, invalid events and runs the token may not write, on a history already stored; on both backends."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.access import Scope
from app.errors import DomainError
from app.services import openlineage as ol
from app.services.group_commit import GroupCommit
from app.services.run_merging import Ingest, merge_items, merge_runs, prepare_runs
from app.store.base import GraphStore
from tests.contract.test_batch_recording import backend, snapshot  # noqa: F401 (the fixture: backends and scans)
from tests.contract.test_lineage import answer
from tests.contract.test_openlineage_runs import PG, ds, event, lineage_facet

NOW = "2026-03-02T00:00:00Z"
RUNS = [str(uuid.UUID(int=n)) for n in range(6)]
TIMES = ["2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z"]
TABLES = ["t0", "t1", "t2"]


def column_facet(source: str) -> dict[str, Any]:
    return {"columnLineage": lineage_facet({"id": [(source, "id", "DIRECT/IDENTITY")]})}


@st.composite
def run_events(draw: st.DrawFn) -> dict[str, Any]:
    source, target = draw(st.sampled_from(TABLES)), draw(st.sampled_from(TABLES))
    output = ds(target, **(column_facet(source) if draw(st.booleans()) else {}))
    e = event(
        draw(st.sampled_from(["START", "COMPLETE", "COMPLETE", "FAIL", "RUNNING"])),
        draw(st.sampled_from(RUNS)),
        draw(st.sampled_from(TIMES)),
        [ds(source)],
        [output],
        job=draw(st.sampled_from(["etl.load", "etl.load", "etl.other"])),
    )
    e["job"]["namespace"] = draw(st.sampled_from(["airflow-prod", "airflow-prod", "secret"]))
    if parent := draw(st.sampled_from([None, None, *RUNS[:2]])):
        e["run"]["facets"]["parent"] = {
            "_producer": "https://github.com/apache/airflow",
            "_schemaURL": "https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json",
            "run": {"runId": parent},
            "job": {"namespace": "airflow-prod", "name": "etl"},
        }
    return e


events_batch = st.lists(st.one_of(run_events(), run_events(), st.just({"eventType": "COMPLETE"})), max_size=12)


def units(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The events grouped by run in first-appearance order (as a batch applies them), each invalid event alone."""
    out: dict[Any, list[dict[str, Any]]] = {}
    for i, e in enumerate(events):
        out.setdefault(e["run"]["runId"] if "run" in e else i, []).append(e)
    return list(out.values())


def runs(store: GraphStore, tenant: str) -> Counter[tuple[Any, ...]]:
    rows = store.read(lambda tx: tx.run("snapshot_runs", tenantId=tenant))
    fields = ("runId", "namespace", "jobNamespace", "jobName", "state", "startTime", "endTime", "events", "document")
    return Counter((tuple(r["r"].get(k) for k in fields), r["parent"]) for r in rows)


def verdicts(result: ol.EventBatchResult) -> list[tuple[int, bool | None]]:
    return [(i.status, i.result.recorded if i.result else None) for i in result.items]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=events_batch, batch=events_batch)
def test_a_batch_merges_its_runs_as_one_transaction_each(store: GraphStore, history: Any, batch: Any) -> None:
    together, alone = ("t" + uuid.uuid4().hex[:12] for _ in range(2))
    clock = lambda: NOW  # noqa: E731
    for tenant in (together, alone):  # the same stored history under both, run by run
        for unit in units(history):
            ol.ingest_batch(store, Scope(tenant=tenant, admin=True), unit, clock=clock)
    limited = ("airflow-prod", "postgres")  # `secret` is not writable: its runs are refused, alone
    batched = ol.ingest_batch(store, Scope(tenant=together, write=limited), batch, clock=clock)
    single = [ol.ingest_batch(store, Scope(tenant=alone, write=limited), u, clock=clock) for u in units(batch)]
    by_run = {id(e): v for u, r in zip(units(batch), single, strict=True) for e, v in zip(u, verdicts(r), strict=True)}
    assert verdicts(batched) == [by_run[id(e)] for e in batch]
    assert snapshot(store, together) == snapshot(store, alone)
    assert runs(store, together) == runs(store, alone)


def test_concurrent_single_events_of_many_runs_are_group_committed(store: GraphStore) -> None:
    """Sixteen requests at once (START and COMPLETE of eight runs, one token refused on one run): through the group
    commit each gets its own answer, and the runs and lineage end as when each event is merged alone."""
    together, alone = ("t" + uuid.uuid4().hex[:12] for _ in range(2))
    batches: list[int] = []

    def write(tx: Any, items: list[Any]) -> list[Any]:
        batches.append(len(items))
        return merge_items(tx, items)

    committer = GroupCommit(store, write=write, key=lambda item: item.key)
    events = [
        event(
            kind, RUNS[n % len(RUNS)] if n < 6 else str(uuid.UUID(int=100 + n)), TIMES[i], [ds(f"s{n}")], [ds(f"d{n}")]
        )
        for n in range(8)
        for i, kind in enumerate(["START", "COMPLETE"])
    ]
    for e in events[-2:]:
        e["job"]["namespace"] = "secret"
    scope_of = {t: Scope(tenant=t, write=("airflow-prod",)) for t in (together, alone)}
    answers: dict[int, str] = {}
    barrier = threading.Barrier(len(events))

    def post(i: int) -> None:
        barrier.wait()
        try:
            result = ol.ingest(store, scope_of[together], events[i], clock=lambda: NOW, committer=committer)
            answers[i] = result.runState or ""
        except DomainError as exc:
            answers[i] = type(exc).__name__

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(events))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in events:
        with contextlib.suppress(DomainError):
            ol.ingest(store, scope_of[alone], e, clock=lambda: NOW)
    assert all(answers[i] in ("RUNNING", "COMPLETE") for i in range(14))
    assert [answers[i] for i in (14, 15)] == ["Forbidden", "Forbidden"]
    assert max(batches) > 1  # concurrent requests did share transactions
    assert runs(store, together) == runs(store, alone)
    lineage = {f"{PG}/s{n}": {f"{PG}/d{n}": 1} for n in range(6)}
    assert {k: answer(store, together, k) for k in lineage} == lineage


def test_a_run_recorded_again_after_a_run_of_its_batch_took_its_output_keeps_its_new_edges(store: GraphStore) -> None:
    """Found by the property test above. Run 1, recorded before, is recorded again in the same batch with other
    content, after run 0 of the same task: run 0 takes t0 from run 1's old recording, then run 1 (now starting as
    late as run 0) takes it back. The demotion planned for the old recording must not reach the new one's edges."""
    first, late = TIMES[0], TIMES[1]

    def on_t0(kind: str, run: int, time: str) -> dict[str, Any]:
        return event(kind, RUNS[run], time, [ds("t0")], [ds("t0")])

    history = [on_t0("START", 0, late)] * 5 + [on_t0("START", 2, first)] * 2
    history += [on_t0("COMPLETE", 1, first), on_t0("COMPLETE", 1, late)]
    batch = [on_t0("START", 0, late)] * 4 + [on_t0("COMPLETE", 0, late), on_t0("START", 1, late)]
    together, alone = ("t" + uuid.uuid4().hex[:12] for _ in range(2))
    for tenant in (together, alone):
        for unit in units(history):
            ol.ingest_batch(store, Scope(tenant=tenant, admin=True), unit, clock=lambda: NOW)
    ol.ingest_batch(store, Scope(tenant=together, admin=True), batch, clock=lambda: NOW)
    for unit in units(batch):
        ol.ingest_batch(store, Scope(tenant=alone, admin=True), unit, clock=lambda: NOW)
    graph = snapshot(store, together)
    assert graph == snapshot(store, alone)
    # run 1 started as late as run 0 and is the later of the two by key: its edges into t0 are the current ones
    current = {(dict(u)["execution"], dict(u)["relation"]) for u in graph["usages"] if dict(u)["current"]}
    assert current == {(RUNS[1], "READ"), (RUNS[1], "WROTE")}


class _Counted:
    """The store's own transaction, with the names of the statements run through it."""

    def __init__(self, tx: Any) -> None:
        self.tx, self.names = tx, []

    def run(self, name: str, **params: Any) -> Any:
        self.names.append(name)
        return self.tx.run(name, **params)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.tx, attribute)


def _merged(store: GraphStore, scope: Scope, units_: list[list[dict[str, Any]]]) -> tuple[list[Any], list[str]]:
    """Merge the runs in one transaction: their results, and the statements that took."""

    how = Ingest(clock=lambda: NOW)
    prepared = prepare_runs(store, scope, units_, NOW, how)

    def merge(tx: Any) -> tuple[list[Any], list[str]]:
        counted = _Counted(tx)
        return merge_runs(counted, store, scope, prepared, NOW, how), counted.names

    return store.write(merge)


def test_runs_recorded_again_are_replaced_with_the_same_statements_for_any_number(store: GraphStore) -> None:
    """Runs that received events after they ended are recorded again set-based: their old executions are deleted
    with a fixed number of statements per batch, not per run (issue 24), and the new ones replace them."""
    statements, scope = {}, Scope(tenant="t" + uuid.uuid4().hex[:12], admin=True)
    for runs in (2, 12):
        ids = [str(uuid.uuid4()) for _ in range(runs)]
        first = [[event("COMPLETE", r, TIMES[1], [ds(f"s{r}")], [ds(f"d{r}")])] for r in ids]
        late = [[event("RUNNING", r, TIMES[0], [ds(f"late{r}")], [])] for r in ids]  # a late event: another input
        for units_ in (first, late):
            results, statements[runs] = _merged(store, scope, units_)
            assert all(r.recorded for r in results)
        for r in ids:
            assert answer(store, scope.tenant, f"{PG}/late{r}") == {f"{PG}/d{r}": 1}
            assert answer(store, scope.tenant, f"{PG}/s{r}") == {f"{PG}/d{r}": 1}
    assert "executions_delete" in statements[2]
    assert statements[12] == statements[2]


class _Rollback(Exception):
    pass


def test_runs_prepared_outside_the_transaction_merge_again_after_it_rolled_back(store: GraphStore) -> None:
    """Runs are prepared once, before their transaction (outside LadybugDB's write lock); a transaction that rolls
    back (a conflict, a driver's retry) merges the same preparation again, and answers as merging it once would."""
    scope, how = Scope(tenant="t" + uuid.uuid4().hex[:12], admin=True), Ingest(clock=lambda: NOW)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    units_ = [
        [event("START", r, TIMES[0], [ds(f"s{r}")], []), event("COMPLETE", r, TIMES[1], [], [ds(f"d{r}")])] for r in ids
    ]
    prepared = prepare_runs(store, scope, units_, NOW, how)

    def merge_then_fail(tx: Any) -> None:
        assert all(r.recorded for r in merge_runs(tx, store, scope, prepared, NOW, how))
        raise _Rollback

    with contextlib.suppress(_Rollback):
        store.write(merge_then_fail)
    assert runs(store, scope.tenant) == Counter()  # nothing of the first attempt stayed
    results = store.write(lambda tx: merge_runs(tx, store, scope, prepared, NOW, how))
    assert [(r.runId, r.recorded, r.runState) for r in results] == [(r, True, "COMPLETE") for r in ids]
    for r in ids:
        assert answer(store, scope.tenant, f"{PG}/s{r}") == {f"{PG}/d{r}": 1}
    again = store.write(lambda tx: merge_runs(tx, store, scope, prepare_runs(store, scope, units_, NOW, how), NOW, how))
    assert [(r.recorded, r.note) for r in again] == [(False, "already received: nothing changed")] * 3
