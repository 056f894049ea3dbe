"""Set-based recording (app/services/recording.py) leaves the graph exactly as recording one at a time does: random
batches with replays, conflicting replays, failed and retired runs, out-of-order and tied start dates, shared inputs
and outputs, and items a token may not write, on a history already stored; on both backends. Then group commit:
concurrent requests each get their own answer."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.access import Scope
from app.domain.executions import ExecutionIn, fingerprint_plan
from app.errors import DomainError, Forbidden
from app.packing import unpack
from app.services.executions import plan_execution, record_execution
from app.services.group_commit import GroupCommit
from app.services.recording import Outcome, Recording, record_all
from app.store.base import GraphStore
from tests.conftest import BACKENDS, SCANNING


@pytest.fixture(params=[*BACKENDS, SCANNING])
def backend(request: pytest.FixtureRequest) -> str:
    """Both backends, and LadybugDB writing batches with its scan forms (tests/conftest.py: SCANNING)."""
    return str(request.param)


ASSETS = [f"a{i}" for i in range(4)]
DATES = ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]

asset = st.builds(
    lambda i, ns, layer: (
        {"id": i} | ({"namespace": ns} if ns else {}) | ({"metadata": {"layer": layer}} if layer else {})
    ),
    st.sampled_from(ASSETS),
    st.sampled_from([None, None, None, "data", "data.mart", "secret"]),
    st.sampled_from([None, "raw", "mart"]),
)
task_run = st.fixed_dictionaries(
    {
        "taskId": st.sampled_from(["t0", "t0", "t1"]),
        "value": st.sampled_from(["", "", "x"]),
        "assets": st.fixed_dictionaries(
            {"inputs": st.lists(asset, max_size=2), "outputs": st.lists(asset, max_size=2)}
        ),
    }
)
execution = st.fixed_dictionaries(
    {
        "namespace": st.sampled_from(["data", "data", "data.team"]),
        "flowId": st.sampled_from(["f0", "f0", "f1"]),
        "state": st.sampled_from(["SUCCESS", "SUCCESS", "SUCCESS", "FAILED"]),
        "startDate": st.sampled_from(DATES),
        "taskRuns": st.lists(task_run, min_size=1, max_size=2),
    }
)


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Executions with distinct ids, then some sent again: the same content (a replay) or other content (a 409)."""
    bodies = [{"id": f"e{n}", **b} for n, b in enumerate(draw(st.lists(execution, min_size=1, max_size=8)))]
    again = draw(st.lists(st.tuples(st.integers(0, len(bodies) - 1), st.booleans()), max_size=3))
    return bodies + [bodies[i] if same else {**bodies[i], "state": "KILLED"} for i, same in again]


def recordings(
    store: GraphStore, tenant: str, bodies: list[dict[str, Any]], writes: tuple[str, ...]
) -> list[Recording]:
    scope = Scope(tenant=tenant, write=writes)
    items = []
    for body in bodies:
        plan = plan_execution(store, scope, msgspec.convert(body, ExecutionIn), None)
        items.append(Recording(scope, plan, fingerprint_plan(plan), "2026-02-01T00:00:00Z"))
    return items


def snapshot(store: GraphStore, tenant: str) -> dict[str, Any]:
    """The tenant's graph with keys replaced by ids (two tenants' graphs compare equal when their histories do)."""

    def read(tx: Any) -> dict[str, Any]:
        assets = [r["a"] for r in tx.run("snapshot_assets", tenantId=tenant)]
        executions = [r["e"] for r in tx.run("snapshot_executions", tenantId=tenant)]
        ids = {a["key"]: a["id"] for a in assets} | {e["key"]: e["id"] for e in executions}

        def plain(row: dict[str, Any]) -> tuple[Any, ...]:
            drop = ("key", "tenantId", "slotKey", "flowKey")
            text = {k: unpack(v).decode() for k, v in row.items() if k == "document" and v is not None}  # packed
            return tuple(sorted((k, same(v)) for k, v in {**row, **text}.items() if k not in drop and v is not None))

        def same(value: Any) -> Any:  # what differs between the two tenants only by the tenant's name
            if isinstance(value, list):
                return tuple(value)
            return ids.get(value, value).replace(tenant, "T") if isinstance(value, str) else value

        return {
            "assets": Counter(plain(a) for a in assets),
            "executions": Counter(plain(e) for e in executions),
            "usages": Counter(plain(r) for r in tx.run("snapshot_usages", tenantId=tenant)),
            "feeds": Counter(plain(r) for r in tx.run("snapshot_feeds", tenantId=tenant)),
            "slots": Counter(plain(r["s"]) for r in tx.run("snapshot_slots", tenantId=tenant)),
        }

    return store.read(read)


def kind(outcome: Outcome) -> str:
    return type(outcome).__name__ if isinstance(outcome, DomainError) else f"created={outcome[1]}"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories(), batch=histories())
def test_a_batch_leaves_the_graph_as_one_at_a_time(store: GraphStore, history: Any, batch: Any) -> None:
    batched, single = ("t" + uuid.uuid4().hex[:12] for _ in range(2))
    for tenant in (batched, single):  # the same stored history under both, one recording at a time
        for item in recordings(store, tenant, history, ("*",)):
            store.write(lambda tx, item=item: record_all(tx, [item]))
    limited = ("data",)  # `secret` is not writable: items that touch it are refused, alone
    together = store.write(lambda tx: record_all(tx, recordings(store, batched, batch, limited)))
    alone = [store.write(lambda tx, i=i: record_all(tx, [i]))[0] for i in recordings(store, single, batch, limited)]
    assert [kind(o) for o in together] == [kind(o) for o in alone]
    assert snapshot(store, batched) == snapshot(store, single)


def test_a_later_run_in_the_same_batch_takes_the_output_over(store: GraphStore, tenant: str) -> None:
    """Two runs of one task slot writing one table from other inputs, in one batch: the later one's inputs are the
    table's current upstream, the earlier run is history (as when they arrive one at a time)."""
    bodies = [
        {"id": "e1", "namespace": "data", "flowId": "f", "startDate": DATES[0], "taskRuns": [_run("t", ["a"], ["t"])]},
        {"id": "e2", "namespace": "data", "flowId": "f", "startDate": DATES[1], "taskRuns": [_run("t", ["b"], ["t"])]},
    ]
    store.write(lambda tx: record_all(tx, recordings(store, tenant, bodies, ("*",))))
    usages = store.read(lambda tx: tx.run("snapshot_usages", tenantId=tenant))
    assert {(u["execution"], u["relation"], u["asset"]): u["current"] for u in usages} == {
        ("e1", "READ", "a"): False,
        ("e1", "WROTE", "t"): False,
        ("e2", "READ", "b"): True,
        ("e2", "WROTE", "t"): True,
    }


def test_one_refused_item_does_not_fail_the_batch(store: GraphStore, tenant: str) -> None:
    bodies = [
        {"id": "ok1", "namespace": "data", "flowId": "f", "taskRuns": [_run("t1", ["raw"], ["clean"])]},
        {"id": "no", "namespace": "data", "flowId": "f", "taskRuns": [_run("t2", ["clean"], ["secret.x"], "secret")]},
        {"id": "ok2", "namespace": "data", "flowId": "f", "taskRuns": [_run("t3", ["clean"], ["mart"])]},
    ]
    outcomes = store.write(lambda tx: record_all(tx, recordings(store, tenant, bodies, ("data",))))
    assert [kind(o) for o in outcomes] == ["created=True", "Forbidden", "created=True"]
    assert isinstance(outcomes[1], Forbidden) and "secret" in outcomes[1].detail
    ids = {a["id"] for a in snapshot_assets(store, tenant)}
    assert ids == {"raw", "clean", "mart"}  # nothing of the refused item, not even the asset it claimed


def snapshot_assets(store: GraphStore, tenant: str) -> list[dict[str, Any]]:
    return store.read(lambda tx: [r["a"] for r in tx.run("snapshot_assets", tenantId=tenant)])


def _run(task: str, inputs: list[str], outputs: list[str], namespace: str | None = None) -> dict[str, Any]:
    out = [{"id": o, **({"namespace": namespace} if namespace else {})} for o in outputs]
    return {"taskId": task, "assets": {"inputs": [{"id": i} for i in inputs], "outputs": out}}


@pytest.mark.parametrize("clients", [16])
def test_group_commit_answers_each_request_with_its_own_outcome(store: GraphStore, tenant: str, clients: int) -> None:
    """Concurrent recordings share transactions; each gets its own answer, a conflicting one its own 409, and
    every acknowledged execution is stored."""
    committer = GroupCommit(store, window_s=0.005)
    scope = Scope(tenant=tenant, write=("data",))
    answers: dict[int, Any] = {}
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        body = {"id": f"e{n}", "namespace": "data", "flowId": "f", "taskRuns": [_run(f"t{n}", ["raw"], [f"out{n}"])]}
        if n == 3:  # refused: writes where the token cannot
            body["taskRuns"] = [_run("t3", ["raw"], ["hidden"], "secret")]
        plan = plan_execution(store, scope, msgspec.convert(body, ExecutionIn), None)
        start.wait()
        try:
            answers[n] = record_execution(store, scope, plan, committer=committer)
        except DomainError as exc:
            answers[n] = exc

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert isinstance(answers.pop(3), Forbidden)
    assert {n: (record.id, created) for n, (record, created) in answers.items()} == {
        n: (f"e{n}", True) for n in answers
    }
    stored = {e["id"] for e in store.read(lambda tx: [r["e"] for r in tx.run("snapshot_executions", tenantId=tenant)])}
    assert stored == {f"e{n}" for n in answers}


def test_concurrent_first_writers_of_a_new_asset_both_record(store: GraphStore, tenant: str) -> None:
    """Two requests recording at once (no group commit between them: two API processes on one Neo4j) that both
    write the same new table and read the same new input: both are recorded, neither fails on the keys."""
    scope = Scope(tenant=tenant)
    start = threading.Barrier(8)
    answers: list[Any] = []

    def client(n: int) -> None:
        body = {"id": f"e{n}", "namespace": "data", "flowId": f"f{n}", "taskRuns": [_run("t", ["src"], ["shared"])]}
        plan = plan_execution(store, scope, msgspec.convert(body, ExecutionIn), None)
        start.wait()
        try:
            answers.append(record_execution(store, scope, plan))
        except DomainError as exc:
            answers.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(kind(a) if isinstance(a, DomainError) else f"created={a[1]}" for a in answers) == ["created=True"] * 8
    assets = {a["id"]: a for a in snapshot_assets(store, tenant)}
    assert set(assets) == {"src", "shared"} and assets["shared"]["version"] == 1
