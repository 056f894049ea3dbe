"""Shared fixtures: one `store` fixture parametrised over every backend available here.

LadybugDB always runs (a fresh database file per test). Neo4j runs on one server for the whole session (see
`neo4j_server`); tests isolate themselves by tenant, so sharing it is fine.
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
from app.store.queries import QuerySet
from tests import neo4j_server as test_neo4j
from tests.neo4j_server import Neo4jServer

# The processes the tests start (the CLI, servers, producers) compile what they import once and keep it, not at every
# start, even where the environment says not to write bytecode (this machine kind sets PYTHONDONTWRITEBYTECODE=1).
# `__pycache__/` is ignored by git.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LINEAGE_SHARED_DIR", ROOT / ".." / "shared")).resolve()
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", help="run reliability tests at full length")


#: Files that take minutes (their set-up included): they start first, so that under pytest-xdist neither process is
#: left running one of them alone at the end. The rest keep their order.
LONG_FILES = (
    "tests/e2e/test_producers.py",
    "tests/e2e/test_sinks.py",
    "tests/e2e/test_bench.py",
    "tests/e2e/test_cli.py",
    "tests/e2e/test_cli_walkthrough.py",
    "tests/cypher/test_neo4j_cypher.py",
    "tests/e2e/test_web_hub.py",
)


#: Files that change the Neo4j schema (they drop constraints and indexes to build older databases): Neo4j then
#: forgets every plan it holds, and its process would plan the lineage searches again, which is slow
#: (docs/measurements.md), so they run after everything else.
LAST_FILES = ("tests/contract/test_schema_versions.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(LONG_FILES)} | {path: len(LONG_FILES) + 1 for path in LAST_FILES}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(LONG_FILES)))  # stable: the rest in order


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """How the suite splits between processes under pytest-xdist (`-n 2`, the README's command): a file's Neo4j
    cases and its other cases are two units of work, each run by one process (a module's fixtures are set up once per
    backend, as they are anyway) and handed, in collection order (LONG_FILES first, LAST_FILES last), to whichever
    process is free. Only for xdist's default `--dist load`; another `--dist` is kept."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileAndBackend(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path, _, test = nodeid.partition("::")
            return f"{path} on Neo4j" if "neo4j" in test else path

    config.option.loadscopereorder = False  # collection order, not the largest number of tests first
    return FileAndBackend(config, log)


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # any failure means: no engine to run a container on
        return False


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """One Neo4j for the whole run: `NEO4J_URI` when set, else the test Neo4j from Maven Central (Java and
    Maven), else a testcontainers Neo4j where a Docker engine answers. With none of them the Neo4j cases skip
    with the reason, unless `LINEAGE_REQUIRE_NEO4J=1` (CI sets it), where that is a failure."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jServer(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        return
    try:
        log = tmp_path_factory.mktemp("neo4j") / "neo4j.log"
        with test_neo4j.running(log_path=log) as server:
            plan_searches(server)
            yield server
        return
    except test_neo4j.Unavailable as exc:
        reason = f"the test Neo4j cannot start here ({exc})"
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer(f"neo4j:{test_neo4j.pinned_version()}-community", password="lineage-test") as container:
            yield Neo4jServer(container.get_connection_url(), "neo4j", "lineage-test")
        return
    message = f"no Neo4j for the Neo4j backend: NEO4J_URI is unset, {reason} and no Docker engine answers"
    if os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1":
        pytest.fail(message + " (LINEAGE_REQUIRE_NEO4J=1: Neo4j must run)", pytrace=False)
    pytest.skip(message)


def plan_searches(server: Neo4jServer) -> None:
    """Plan the lineage searches on a new test Neo4j before any test runs, as `lineage serve` does at start, and
    their history and time-window forms too: planning a search's text takes seconds (more on a cold JVM, with the
    other test process busy), so whichever test first asked one would otherwise wait for it, past its client's
    timeout, and which test that is depends on how the suite is split between processes."""
    from app.domain.lineage import Traversal
    from app.services.lineage import plan_first_questions
    from app.store.neo4j import Neo4jStore

    store = Neo4jStore(server.uri, user=server.user, password=server.password)
    try:
        for history, after, before in ((False, None, None), (True, None, None), (False, "2000-01-01T00:00:00Z", None)):
            plan_first_questions(store, Traversal.build(None, history, after, before))
    finally:
        store.close()


def open_backend(request: pytest.FixtureRequest, backend: str, path: Path) -> GraphStore:
    if backend == "ladybug":
        return LadybugStore(path)
    if backend == SCANNING:
        return LadybugStore(path, queries=QuerySet("ladybug", scan_from=2))
    from app.store.neo4j import Neo4jStore

    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    return Neo4jStore(server.uri, user=server.user, password=server.password)


@pytest.fixture
def fresh_neo4j(neo4j_server: Neo4jServer) -> Iterator[Neo4jServer]:
    """The session's Neo4j, emptied before and after the test: for tests that use fixed tenants (`main`) or
    write what other tests must not see (a schema version from the future)."""
    test_neo4j.wipe(neo4j_server)
    yield neo4j_server
    test_neo4j.wipe(neo4j_server)


def neo4j_flags(server: Neo4jServer) -> list[str]:
    """`lineage` command-line flags that point a command at this Neo4j."""
    flags = ["--neo4j-uri", server.uri, "--neo4j-user", server.user]
    return flags + (["--neo4j-password", server.password] if server.password else [])


@pytest.fixture
def serve_flags(request: pytest.FixtureRequest, backend: str) -> list[str]:
    """Flags for `lineage serve` and local CLI commands on this test's backend: none for LadybugDB (the test
    passes its own --data-dir), the session's Neo4j (emptied for this test) otherwise."""
    if backend == "ladybug":
        return []
    return neo4j_flags(request.getfixturevalue("fresh_neo4j"))


BACKENDS = ["ladybug", "neo4j"]
#: LadybugDB running the large-batch form of its writes (`LOAD FROM`, app/store/queries.py: `:scan`) from two rows
#: on: what the batch tests compare with recording one at a time, whose statements mostly have one row.
SCANNING = "ladybug-scanning"


@pytest.fixture(params=BACKENDS)
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
    app = create_app(Settings(data_dir=tmp_path / "unused", sandbox_prewarm=False), store=store)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def base(tenant: str) -> str:
    return f"/api/v1/{tenant}"
