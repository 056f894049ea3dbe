"""Neo4j 5 over Bolt: the production backend for clusters and Aura (`neo4j://` routes reads and writes).

Work functions run inside managed transactions (`execute_read` / `execute_write`), so transient cluster
errors (leader switch, deadlock) are retried by the driver; the services make their writes idempotent by
natural key so that a retry never duplicates anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from app.errors import Conflict, QueryTimeout, StoreFailure, StoreUnavailable
from app.store import model
from app.store.base import BoundTx, BulkAsset, BulkRun, Row
from app.store.bulk import RunRows, asset_rows
from app.store.queries import QuerySet
from app.store.schema import migrate
from app.timeutil import now_iso

log = logging.getLogger(__name__)
T = TypeVar("T")

BULK_BATCH = 5_000


def _plain(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return dict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, neo4j_errors.ResultFailedError) and isinstance(exc.__cause__, neo4j_errors.Neo4jError):
        return _translate(exc.__cause__)  # what failed, not the result that reported it
    if isinstance(exc, neo4j_errors.ConstraintError):
        return Conflict("a node with this natural key already exists: " + str(exc.message))
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return StoreUnavailable(f"Neo4j is unreachable: {exc}")
    if "TransactionTimedOut" in str(getattr(exc, "code", "") or ""):
        return QueryTimeout("the query took longer than its time limit and was stopped")
    if isinstance(exc, neo4j_errors.AuthError):
        return StoreUnavailable("Neo4j refused the credentials")
    if isinstance(exc, neo4j_errors.TransientError):
        return StoreUnavailable(f"Neo4j is busy: {exc}")
    log.error("Neo4j error: %s", exc)
    return StoreFailure(f"Neo4j rejected the operation: {exc}")


class Neo4jStore:
    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str = "neo4j",
        password: str = "",
        database: str | None = None,
        query_timeout_s: float = 60.0,
        queries: QuerySet | None = None,
    ) -> None:
        self.uri = uri
        self.database = database or None
        self.queries = queries or QuerySet("neo4j")
        self._timeout = query_timeout_s
        auth = (user, password) if password else None
        # No notifications: the server would describe our own queries, which the tests EXPLAIN for warnings
        # (tests/cypher/), and producing them costs it a few percent of recording throughput (docs/measurements.md).
        self._driver = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        try:
            self._driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            self._driver.close()
            raise _translate(exc) from exc
        self._ensure_schema()

    def describe(self) -> str:
        return f"Neo4j at {self.uri} (database {self.database or 'default'})"

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self.database)

    def _bound(self, tx: neo4j.ManagedTransaction) -> BoundTx:
        def execute(text: str, params: dict[str, Any]) -> list[Row]:
            try:
                result = tx.run(text, params)  # type: ignore[arg-type]  # texts come from cypher/ files only
                return [{k: _plain(v) for k, v in record.items()} for record in result]
            except neo4j_errors.ResultFailedError as exc:
                # The driver may report a statement's failure (a deadlock among concurrent writers) as the failure
                # of a result, which it never retries: a 500 in tests/reliability/test_concurrency.py on CI. Raising
                # the failure itself lets execute_write retry the unit when it is transient.
                if isinstance(exc.__cause__, neo4j_errors.Neo4jError):
                    raise exc.__cause__ from exc
                raise

        def iterate(text: str, params: dict[str, Any]) -> Iterator[Row]:
            for record in tx.run(text, params):  # type: ignore[arg-type]  # texts come from cypher/ files only
                yield {k: _plain(v) for k, v in record.items()}

        return BoundTx(self.queries, execute, iterate)

    def _unit(
        self, work: Callable[[BoundTx], T], timeout_s: float | None = None
    ) -> Callable[[neo4j.ManagedTransaction], T]:
        """The transaction function the driver runs (and re-runs on transient errors), with the server-side
        timeout. A `neo4j.Query` cannot carry it: `ManagedTransaction.run` refuses Query objects."""

        @neo4j.unit_of_work(timeout=timeout_s or self._timeout)
        def unit(tx: neo4j.ManagedTransaction) -> T:
            return work(self._bound(tx))

        return unit

    def read(self, work: Callable[[BoundTx], T], *, timeout_s: float | None = None) -> T:
        try:
            with self._session() as session:
                return session.execute_read(self._unit(work, timeout_s))
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _translate(exc) from exc

    def write(self, work: Callable[[BoundTx], T], *, timeout_s: float | None = None) -> T:
        try:
            with self._session() as session:
                return session.execute_write(self._unit(work, timeout_s))
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _translate(exc) from exc

    def regex_error(self, pattern: str) -> str | None:
        text, bound = self.queries["regex_check"].bind({"pattern": pattern})
        try:
            with self._session() as session:
                session.run(text, bound).consume()  # type: ignore[arg-type]  # a text from cypher/
        except neo4j_errors.ClientError as exc:
            return f"Neo4j's engine (java.util.regex) does not compile it: {exc.message}"
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _translate(exc) from exc
        return None

    def ping(self) -> None:
        try:
            with self._session() as session:
                session.run("RETURN 1 AS ok").consume()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _translate(exc) from exc

    def _ensure_schema(self) -> None:
        """Refuse a newer database, run the migration steps of an older one, then the schema statements (every
        one `IF NOT EXISTS`, so each start also adds what a new version declares)."""
        where = f"the Neo4j database {self.database or '(default)'} at {self.uri}"

        def version_of(tx: BoundTx) -> int | None:
            rows = tx.run("schema_version_get", key="schema")
            return int(rows[0]["version"]) if rows else None

        def record(version: int) -> None:
            self.write(lambda tx: tx.run("schema_version_set", key="schema", version=version, now=now_iso()))

        version = self.read(version_of)
        try:
            with self._session() as session:
                if version is not None:
                    run = lambda statement: session.run(statement).consume()  # type: ignore[arg-type]  # noqa: E731
                    migrate(where, version, self.queries, run, record)
                for statement in self.queries.schema_statements():
                    session.run(statement).consume()  # type: ignore[arg-type]
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise _translate(exc) from exc
        if version is None:  # a new database: the schema statements made it current
            record(model.SCHEMA_VERSION)

    def bulk_load(
        self,
        assets: Iterable[BulkAsset],
        runs: Iterable[BulkRun],
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        def load(query: str, rows: Iterable[dict[str, Any]], label: str) -> None:
            it = iter(rows)
            while chunk := list(islice(it, BULK_BATCH)):
                self.write(lambda tx, chunk=chunk: tx.run(query, rows=chunk))
                if progress:
                    progress(label, len(chunk))

        load("bulk_assets", asset_rows(assets), "assets")
        rows = RunRows()
        for run in runs:
            rows.add(run)
        load("bulk_executions", rows.executions, "executions")
        load("bulk_task_slots", rows.slots, "task slots")
        load("bulk_read", rows.reads, "READ edges")
        load("bulk_wrote", rows.writes, "WROTE edges")
        load("bulk_feeds", rows.feeds, "FEEDS edges")

    def close(self) -> None:
        self._driver.close()
