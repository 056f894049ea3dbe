"""Shared fixtures: one `store` fixture parametrised over every backend available here.

LadybugDB always runs (a fresh database file per test). Neo4j runs when `NEO4J_URI` is set (with
`NEO4J_USER` / `NEO4J_PASSWORD`) or when a Docker engine answers, through testcontainers; otherwise its
cases are skipped with that reason. Tests isolate themselves by tenant, so a shared Neo4j is fine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from app.asgi import create_app
from app.settings import Settings
from app.store.base import GraphStore
from app.store.ladybug import LadybugStore

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LINEAGE_SHARED_DIR", ROOT / ".." / "shared")).resolve()
DATA = Path(__file__).resolve().parent / "data"
NEO4J_IMAGE = "neo4j:5.26.12-community"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", help="run reliability tests at full length")


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[tuple[str, str, str]]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        return
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as exc:  # any failure means: no engine to run a container on
        pytest.skip(f"Neo4j backend skipped: NEO4J_URI is unset and no Docker engine answers ({type(exc).__name__})")
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE, password="lineage-test") as container:
        yield container.get_connection_url(), "neo4j", "lineage-test"


def open_backend(request: pytest.FixtureRequest, backend: str, path: Path) -> GraphStore:
    if backend == "ladybug":
        return LadybugStore(path)
    from app.store.neo4j import Neo4jStore

    uri, user, password = request.getfixturevalue("neo4j_server")
    return Neo4jStore(uri, user=user, password=password)


@pytest.fixture(params=["ladybug", "neo4j"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[GraphStore]:
    s = open_backend(request, backend, tmp_path / "db")
    yield s
    s.close()


@pytest.fixture
def reopen(request: pytest.FixtureRequest, backend: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Close a store and open the same database again (a restart)."""

    def _reopen(s: GraphStore) -> GraphStore:
        s.close()
        return open_backend(request, backend, tmp_path / "db")

    return _reopen


@pytest.fixture
def tenant() -> str:
    return "t" + uuid.uuid4().hex[:12]


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"../shared is absent ({SHARED}): this checkout is outside the workplace")
    return SHARED


@pytest.fixture(scope="session")
def ol_spec() -> object:
    if not SHARED.exists():
        pytest.skip(f"../shared is absent ({SHARED}): the OpenLineage schemas are not available")
    from tests.openlineage_schema import SpecValidator

    return SpecValidator(SHARED / "openlineage-spec")


@pytest.fixture
def client(store: GraphStore, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=tmp_path / "unused"), store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def base(tenant: str) -> str:
    return f"/api/v1/{tenant}"
