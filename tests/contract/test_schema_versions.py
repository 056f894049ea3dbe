"""Schema versions on every backend: an older database is migrated step by step by the dialect's migration
files, a missing step or a newer database is refused, and a migrated database is not migrated again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.domain.access import open_scope
from app.domain.assets import AssetIn
from app.errors import SchemaVersionError
from app.services import assets as svc
from app.store import model
from app.store.base import GraphStore
from app.store.ladybug import LadybugStore
from app.store.queries import CYPHER_DIR, QuerySet
from tests.neo4j_server import Neo4jServer

#: A real step for both dialects: a data migration that fills a field the old version left empty.
STEP = "MATCH (a:Asset) WHERE a.displayName IS NULL SET a.displayName = a.id;\n"


def queries_with_step(tmp_path: Path, dialect: str, step: int) -> QuerySet:
    root = tmp_path / "cypher"
    if not root.exists():
        shutil.copytree(CYPHER_DIR, root)
    (root / dialect / f"schema_migrate_{step}_to_{step + 1}.cypher").write_text("// test step\n" + STEP)
    return QuerySet(dialect, root)


@pytest.fixture
def opener(request: pytest.FixtureRequest, backend: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Opens the test's database (a LadybugDB file, or the session's Neo4j, emptied) with given queries."""
    if backend == "neo4j":
        server: Neo4jServer = request.getfixturevalue("fresh_neo4j")

    def open_(queries: QuerySet | None = None) -> GraphStore:
        if backend == "ladybug":
            return LadybugStore(tmp_path / "db", queries=queries)
        from app.store.neo4j import Neo4jStore

        return Neo4jStore(server.uri, user=server.user, password=server.password, queries=queries)

    return open_


def version_of(store: GraphStore) -> int:
    return int(store.read(lambda tx: tx.run("schema_version_get", key="schema"))[0]["version"])


def test_older_database_is_migrated_once(opener, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    scope = open_scope("t")
    store = opener()
    svc.put_asset(store, scope, "orders", AssetIn(type="T"))
    assert version_of(store) == model.SCHEMA_VERSION
    store.close()

    current = model.SCHEMA_VERSION
    monkeypatch.setattr(model, "SCHEMA_VERSION", current + 1)
    migrated = opener(queries_with_step(tmp_path, backend, current))
    try:
        assert version_of(migrated) == current + 1
        assert svc.get_asset(migrated, scope, "orders").displayName == "orders"  # the step ran
        svc.put_asset(migrated, scope, "orders", AssetIn(type="T"))  # displayName cleared by a PUT
    finally:
        migrated.close()
    again = opener(queries_with_step(tmp_path, backend, current))
    try:
        assert svc.get_asset(again, scope, "orders").displayName is None  # not migrated a second time
    finally:
        again.close()


def test_a_missing_step_and_a_newer_database_are_refused(opener, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    opener().close()
    current = model.SCHEMA_VERSION
    monkeypatch.setattr(model, "SCHEMA_VERSION", current + 1)
    with pytest.raises(SchemaVersionError, match=f"v{current} and there is no migration to v{current + 1}"):
        opener()
    monkeypatch.setattr(model, "SCHEMA_VERSION", current - 1)
    with pytest.raises(SchemaVersionError, match=f"schema v{current}, newer than this service"):
        opener()


#: What each schema version added over the one before: the migration files must bring each back.
_V3_SLOTS = (
    "MATCH (s:TaskSlot) WHERE s.assetKey <> '' "
    "WITH s.slotKey AS k, max(s.date + '|' + s.executionKey) AS latest, collect(s)[{first}] AS one "
    "MERGE (n:TaskSlot {{key: k}}) SET n.tenantId = one.tenantId, n.flowKey = one.flowKey, "
    "n.namespace = one.namespace, n.flowId = one.flowId, n.taskId = one.taskId, n.value = one.value, "
    "n.executionKey = {execution}, n.date = {date}, n.hasColumns = one.hasColumns, n.slotKey = '', n.assetKey = ''"
)
ADDED_IN = {
    5: {  # the outbox
        "ladybug": [
            "DROP TABLE OutboxParked",
            "DROP TABLE OutboxSink",
            "DROP TABLE OutboxCounter",
            "DROP TABLE OutboxEvent",
        ],
        "neo4j": [
            "MATCH (n) WHERE n:OutboxEvent OR n:OutboxCounter OR n:OutboxSink OR n:OutboxParked DELETE n",
            "DROP CONSTRAINT outbox_event_seq",
            "DROP CONSTRAINT outbox_counter_key",
            "DROP CONSTRAINT outbox_sink_key",
            "DROP CONSTRAINT outbox_parked_key",
            "DROP INDEX outbox_event_tenant",
        ],
    },
    4: {  # one holder per slot (its latest run), as v3 kept them
        "ladybug": [
            _V3_SLOTS.format(
                first=1, execution="substring(latest, 29, size(latest) - 28)", date="substring(latest, 1, 27)"
            ),
            "MATCH (s:TaskSlot) WHERE s.assetKey <> '' DELETE s",
            "ALTER TABLE TaskSlot DROP assetKey",
            "ALTER TABLE TaskSlot DROP slotKey",
        ],
        "neo4j": [
            _V3_SLOTS.format(first=0, execution="substring(latest, 28)", date="substring(latest, 0, 27)"),
            "MATCH (s:TaskSlot) WHERE s.assetKey <> '' DELETE s",
            "MATCH (s:TaskSlot) REMOVE s.slotKey, s.assetKey",
            "DROP INDEX task_slot_slot IF EXISTS",
        ],
    },
    3: {
        "ladybug": ["DROP TABLE FEEDS_RECENT", "DROP TABLE WROTE_RECENT", "DROP TABLE READ_RECENT"],
        "neo4j": [],
    },
    2: {
        "ladybug": [
            "DROP TABLE DERIVES",
            "DROP TABLE HAS_COLUMN",
            "DROP TABLE PARENT_OF",
            "DROP TABLE AssetColumn",
            "DROP TABLE LineageRun",
            "ALTER TABLE TaskSlot DROP hasColumns",
        ],
        "neo4j": ["DROP CONSTRAINT lineage_run_key", "DROP CONSTRAINT column_key", "DROP INDEX derives_execution"],
    },
}


def downgrade_to(
    version: int, backend: str, store: GraphStore, request: pytest.FixtureRequest, *, then: tuple[str, ...] = ()
) -> None:
    """Close `store` (a clean close folds LadybugDB's recent edges) and undo every schema step past `version`;
    `then`: statements that make the data what that version would have stored."""
    store.close()
    statements = [s for v in range(model.SCHEMA_VERSION, version, -1) for s in ADDED_IN[v][backend]]
    statements += [*then, f"MATCH (s:SchemaInfo) SET s.version = {version}"]
    if backend == "ladybug":
        import ladybug

        conn = ladybug.Connection(ladybug.Database(str(store.path)))  # type: ignore[attr-defined]
        for statement in statements:
            conn.execute(statement)
        conn.close()
        return
    from neo4j import GraphDatabase

    server = request.getfixturevalue("fresh_neo4j")
    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        for statement in statements:
            driver.execute_query(statement)


def test_a_v1_database_is_migrated_to_columns_and_runs(opener, backend: str, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    """A database written by the previous release (v1: no runs, no columns) keeps its lineage and learns both."""
    from app.services import columns as columns_svc
    from app.services import openlineage as ol
    from tests.contract.test_openlineage_runs import PG, ds, event, lineage_facet

    scope = open_scope("t")
    store = opener()
    old = event(
        "COMPLETE", "1b4e28ba-2fa1-41d2-883f-0016d3cca427", "2026-01-01T00:00:00Z", [ds("m.src")], [ds("m.dst")]
    )
    ol.ingest(store, scope, old)
    downgrade_to(1, backend, store, request)
    migrated = opener()
    try:
        assert version_of(migrated) == model.SCHEMA_VERSION
        facet = lineage_facet({"y": [("m.src", "x", "DIRECT/IDENTITY")]})
        newer = event(
            "COMPLETE",
            "2b4e28ba-2fa1-41d2-883f-0016d3cca427",
            "2026-02-01T00:00:00Z",
            [ds("m.src")],
            [ds("m.dst", columnLineage=facet)],
        )
        assert ol.ingest(migrated, scope, newer).recorded  # demotes the v1 run's slot (hasColumns unset)
        reached = columns_svc.column_lineage(migrated, scope, f"{PG}/m.src", "x", "downstream").items
        assert [(i.assetId, i.column) for i in reached] == [(f"{PG}/m.dst", "y")]
    finally:
        migrated.close()


def test_a_v2_database_keeps_its_lineage_and_writes_new_edges_beside_it(  # type: ignore[no-untyped-def]
    opener, backend: str, request: pytest.FixtureRequest
) -> None:
    """v2 -> v3 adds LadybugDB's recent edge tables: the old edges answer as before, new ones join them, and a fold
    moves the new ones without changing an answer."""
    from tests.contract.test_lineage import answer, record_edges

    store = opener()
    record_edges(store, "t", [("a", "b")], flow="g1")
    downgrade_to(2, backend, store, request)
    migrated = opener()
    try:
        assert version_of(migrated) == model.SCHEMA_VERSION
        record_edges(migrated, "t", [("b", "c")], flow="g2")
        assert answer(migrated, "t", "a") == {"b": 1, "c": 2}
        assert answer(migrated, "t", "c", upstream=True) == {"b": 1, "a": 2}
        if backend == "ladybug":
            assert migrated.recent_edges() == 3  # g2's READ, WROTE and FEEDS edges
            migrated.checkpoint()
            assert migrated.recent_edges() == 0
        assert answer(migrated, "t", "a") == {"b": 1, "c": 2}
        assert answer(migrated, "t", "c", upstream=True) == {"b": 1, "a": 2}
    finally:
        migrated.close()


def test_a_v3_database_keeps_every_outputs_lineage_after_migration(  # type: ignore[no-untyped-def]
    opener, backend: str, request: pytest.FixtureRequest
) -> None:
    """v3 kept only the latest run of a task slot current, so a flow run once per VM lost every earlier snapshot's
    lineage; migrating to v4 gives each output back its latest writer's lineage."""
    from tests.contract.helpers import record
    from tests.contract.test_lineage import answer

    store = opener()
    for execution, vm in (("e1", "vm-1"), ("e2", "vm-2")):
        record(
            store,
            "t",
            flow="nutanix_safe_patching",
            id=execution,
            inputs={"vm_name": vm},
            startDate=f"2026-11-0{execution[1]}T00:00:00Z",
        )
    v3_currency = tuple(
        f"MATCH ()-[r:{rel}]->() WHERE r.executionKey = 't/e1' SET r.current = false"
        for rel in ("READ", "WROTE", "FEEDS")
    )
    downgrade_to(3, backend, store, request, then=v3_currency)
    migrated = opener()
    try:
        assert version_of(migrated) == model.SCHEMA_VERSION
        assert answer(migrated, "t", "snapshot-e1", upstream=True) == {"vm-1": 1}
        assert answer(migrated, "t", "snapshot-e2", upstream=True) == {"vm-2": 1}
        # and the migrated store follows the rule from now on: a newer snapshot of vm-1 leaves both current
        record(
            migrated,
            "t",
            flow="nutanix_safe_patching",
            id="e3",
            inputs={"vm_name": "vm-1"},
            startDate="2026-11-03T00:00:00Z",
        )
        assert answer(migrated, "t", "vm-1") == {"snapshot-e1": 1, "snapshot-e3": 1}
    finally:
        migrated.close()


def test_a_v4_database_gains_an_outbox_numbered_from_one(  # type: ignore[no-untyped-def]
    opener, backend: str, request: pytest.FixtureRequest
) -> None:
    """v5 adds the outbox (app/services/outbox.py): a v4 store keeps its lineage, and recordings with a sink on
    write their events to it, numbered from 1."""
    from app.services import openlineage as ol
    from app.services import outbox
    from tests.contract.test_openlineage_runs import ds, event

    scope = open_scope("t")
    store = opener()
    ol.ingest(store, scope, event("COMPLETE", "1b4e28ba-2fa1-41d2-883f-0016d3cca427", "2026-01-01T00:00:00Z", [], []))
    downgrade_to(4, backend, store, request)
    migrated = opener()
    try:
        assert version_of(migrated) == model.SCHEMA_VERSION
        run = event("COMPLETE", "2b4e28ba-2fa1-41d2-883f-0016d3cca427", "2026-02-01T00:00:00Z", [ds("a")], [ds("b")])
        assert ol.ingest(migrated, scope, run, outbox=True).recorded
        [row] = outbox.pending(migrated, after=0)
        assert row.seq == 1 and [e["eventType"] for e in row.dicts()] == ["START", "COMPLETE"]
    finally:
        migrated.close()
