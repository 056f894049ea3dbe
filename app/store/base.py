"""The storage interface every backend implements.

Kept as small as Litestar's `Store`: a backend knows how to run a named query from `cypher/` inside a read
or a write transaction, and how to bulk-load. Everything that gives those queries meaning lives in
`app.services`, written once against this protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from app.store.queries import QuerySet

T = TypeVar("T")
Row = dict[str, Any]


@runtime_checkable
class Tx(Protocol):
    """An open transaction; `run` executes one named query from `cypher/` with parameters, given as keywords or
    as one mapping (`tx.run(*call)` for a (name, arguments) pair from app/services/binding.py)."""

    def run(self, name: str, args: dict[str, Any] | None = None, /, **params: Any) -> list[Row]: ...

    def each(self, name: str, args: dict[str, Any] | None = None, /, **params: Any) -> Iterator[Row]:
        """The rows of one named query one at a time, for an answer too large to hold (an export): the
        transaction stays open until the iterator is exhausted or dropped."""
        ...


@dataclass(frozen=True)
class BulkAsset:
    key: str
    tenantId: str
    id: str
    namespace: str
    type: str
    metadata: str  # canonical JSON (app.domain.assets.encode_metadata)
    metaPairs: tuple[str, ...]
    fingerprint: str
    created: str


@dataclass(frozen=True)
class BulkRun:
    """One task run of one execution: READ edges to `inputs`, WROTE edges to `outputs`, FEEDS edges between
    them, and its task slot. Asset lists hold asset keys; every run of one execution repeats its fields."""

    tenantId: str
    executionKey: str
    executionId: str
    namespace: str
    flowId: str
    flowKey: str
    taskId: str
    value: str
    slotKey: str
    date: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


@runtime_checkable
class GraphStore(Protocol):
    backend: str  # "ladybug" or "neo4j"
    queries: QuerySet

    def describe(self) -> str:
        """One line for the start-up log: which database, where."""
        ...

    def read(self, work: Callable[[Tx], T], *, timeout_s: float | None = None) -> T:
        """Run `work` in one read transaction; past `timeout_s` (default: the store's own) the database stops it
        and `QueryTimeout` is raised."""
        ...

    def write(self, work: Callable[[Tx], T], *, timeout_s: float | None = None) -> T:
        """Run `work` in one write transaction: all of it commits, or none of it does."""
        ...

    def regex_error(self, pattern: str) -> str | None:
        """Why the database's own regular-expression engine refuses `pattern` (None when it compiles it): the
        engines differ (LadybugDB runs RE2, Neo4j java.util.regex), and a pattern one refuses silently matches
        nothing there."""
        ...

    def ping(self) -> None:
        """Raise `StoreUnavailable` unless the database answers a query."""
        ...

    def bulk_load(
        self,
        assets: Iterable[BulkAsset],
        runs: Iterable[BulkRun],
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        """Load many new assets and task runs fast into an empty tenant (benchmarks); every edge is current.
        Not idempotent by design: the natural keys must be new."""
        ...

    def close(self) -> None: ...


class BoundTx:
    """Adapts a backend's `execute(text, params)` (and `iterate`, which yields the rows as they are read) to named,
    checked queries."""

    __slots__ = ("_execute", "_iterate", "_queries")

    def __init__(
        self,
        queries: QuerySet,
        execute: Callable[[str, dict[str, Any]], list[Row]],
        iterate: Callable[[str, dict[str, Any]], Iterator[Row]] | None = None,
    ) -> None:
        self._queries = queries
        self._execute = execute
        self._iterate = iterate or (lambda text, params: iter(execute(text, params)))

    def run(self, name: str, args: dict[str, Any] | None = None, /, **params: Any) -> list[Row]:
        text, bound = self._queries[name].bind({**(args or {}), **params})
        return self._execute(text, bound)

    def each(self, name: str, args: dict[str, Any] | None = None, /, **params: Any) -> Iterator[Row]:
        text, bound = self._queries[name].bind({**(args or {}), **params})
        return self._iterate(text, bound)
