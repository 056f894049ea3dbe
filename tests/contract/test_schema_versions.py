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
