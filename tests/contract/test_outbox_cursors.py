"""The sinks' cursors in the outbox. One process delivers a sink at a time (its lease); one that stops hands the sink
back at once, and one that found the sink held does not ask again at every recording; a sink no longer configured
is forgotten by the operator (`lineage outbox forget`), and the outbox is pruned by the sinks left. Both backends,
the deliveries driven step by step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from app.domain.access import open_scope
from app.services import outbox
from app.sinks.delivery import LEASE_RETRY_S, Delivery
from app.store.base import GraphStore
from tests.conftest import open_backend


@pytest.fixture
def store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    """The outbox is the database's, not a tenant's: on Neo4j these tests start from an empty one."""
    if backend == "neo4j":
        request.getfixturevalue("fresh_neo4j")
    s = open_backend(request, backend, tmp_path / "db")
    yield s
    s.close()


class Collecting:
    """A receiver that takes everything (the transports' own tests talk to Kafka and HTTP: tests/e2e/test_sinks.py)."""

    def __init__(self, name: str = "kafka") -> None:
        self.name = name
        self.events: list[dict[str, object]] = []

    def send(self, events: list[msgspec.Raw]) -> dict[int, str]:
        self.events += [msgspec.json.decode(e) for e in events]
        return {}

    def close(self) -> None:
        pass


def _publish(store: GraphStore, name: str, tenant: str = "t") -> None:
    event = {"eventTime": "2026-01-01T00:00:00Z", "producer": "test", "schemaURL": "x", "dataset": {"name": name}}
    store.write(lambda tx: outbox.append(tx, [outbox.row(tenant, "dataset", [event], "2026-01-01T00:00:00Z")]))


def _kept(store: GraphStore) -> int:
    return int(store.read(lambda tx: tx.run("outbox_size"))[0]["events"] or 0)


def _names(transport: Collecting) -> list[object]:
    return [e["dataset"]["name"] for e in transport.events]  # type: ignore[index]


def test_a_stopped_process_hands_its_sink_over_at_once(store: GraphStore) -> None:
    first, second, third = Collecting(), Collecting(), Collecting()
    a = Delivery(store, first, holder="host-a:8080")
    b = Delivery(store, second, holder="host-b:8080")
    _publish(store, "one")
    assert a.step() == 1 and _names(first) == ["one"]
    _publish(store, "two")
    assert b.step() == 0 and second.events == []  # a holds the sink
    a.stop()
    # b found the sink held less than LEASE_RETRY_S ago: it waits before asking again, though the lease is free
    assert LEASE_RETRY_S > 1 and b.step() == 0 and second.events == []
    c = Delivery(store, third, holder="host-c:8080")
    assert c.step() == 1 and _names(third) == ["two"]  # not after the 60 s the lease had left
    [sink] = [s for s in outbox.status(store, open_scope("t")).sinks if s.name == "kafka"]
    assert sink.holder == "host-c:8080" and sink.delivered == 2 and sink.backlog == 0


def test_a_crashed_holder_keeps_the_sink_until_its_lease_runs_out(store: GraphStore) -> None:
    a = Delivery(store, Collecting(), holder="host-a:8080")
    _publish(store, "one")
    assert a.step() == 1
    _publish(store, "two")  # a dies here without stopping: no hand-over
    late = Collecting()
    assert Delivery(store, late, holder="host-b:8080").step() == 0 and late.events == []
    restarted = Collecting()  # the same host and port: its own lease, taken back at once
    assert Delivery(store, restarted, holder="host-a:8080").step() == 1 and _names(restarted) == ["two"]


class Refusing(Collecting):
    def send(self, events: list[msgspec.Raw]) -> dict[int, str]:
        return {0: "HTTP 400: no"}


def test_forgetting_a_sink_prunes_what_the_others_delivered(store: GraphStore) -> None:
    kafka, forward = Collecting("kafka"), Refusing("forward")
    _publish(store, "one")
    assert Delivery(store, kafka, holder="a:1").step() == 1
    assert Delivery(store, forward, holder="a:1").step() == 1  # its event set aside; then it was removed
    _publish(store, "two", tenant="u")
    _publish(store, "three")
    assert Delivery(store, kafka, holder="a:1").step() == 2
    outbox.prune(store)
    assert _kept(store) == 2  # forward's cursor holds the outbox back
    every = {s.name: s for s in outbox.sinks(store)}  # the operator's view: both tenants' events
    assert (every["forward"].backlog, every["forward"].parked, every["kafka"].backlog) == (2, 1, 0)
    assert [s.backlog for s in outbox.status(store, open_scope("u")).sinks] == [1, 0]  # a tenant's admin: its own

    done = outbox.forget(store, "forward")
    assert (done.found, done.parked, done.kept) == (True, 1, 0)
    assert [s.name for s in outbox.sinks(store)] == ["kafka"] and _kept(store) == 0
    assert outbox.status(store, open_scope("t")).parked == []
    assert outbox.forget(store, "forward").found is False


def test_forgetting_the_last_sink_empties_the_outbox(store: GraphStore) -> None:
    _publish(store, "one")
    assert Delivery(store, Refusing("forward"), holder="a:1").step() == 1
    _publish(store, "two")
    assert _kept(store) == 2
    assert outbox.forget(store, "forward").kept == 0 and _kept(store) == 0
    later = Collecting("kafka")  # a sink configured later starts from what is recorded then
    _publish(store, "three")
    assert Delivery(store, later, holder="a:1").step() == 1 and _names(later) == ["three"]
