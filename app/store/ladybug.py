"""LadybugDB (embedded, one file on disk): the default backend.

LadybugDB allows many concurrent read transactions but exactly one write transaction per database, and a
second `BEGIN TRANSACTION` while one is open is not merely refused: the engine can crash. So every write
here goes through one process-wide lock, and reads borrow pooled connections freely (they see a snapshot),
except while a checkpoint runs: LadybugDB lets reads run beside its checkpoint, and those reads can see a
half-written file (see _ReadGate).
One database file may be opened by one process only; the API is therefore served by a single process on
this backend (scale-out is what the Neo4j backend is for).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import ladybug
import pyarrow

from app.errors import Conflict, QueryTimeout, SchemaVersionError, StoreFailure, StoreUnavailable
from app.store import model
from app.store.base import BoundTx, BulkAsset, BulkRun, Row
from app.store.queries import QuerySet
from app.store.schema import migrate
from app.timeutil import now_iso

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_FILE = "lineage.lbdb"
#: LadybugDB refuses variable-length patterns longer than this unless told; lineage depth cap is below it.
MAX_PATTERN_DEPTH = 100
#: Past this much WAL the _Checkpointer checkpoints even during continuous writes, whatever its cost: it bounds the
#: WAL and its replay after a crash. The engine's own checkpoint (inside a commit, at 16 MiB by default) is off: it
#: put one in every second batch of an OpenLineage import (README, Writes), and it would run beside reads.
MAX_WAL_BYTES = 128 << 20
#: How long a checkpoint waits for the reads in progress to finish (new ones wait meanwhile) before it gives up
#: and lets the checkpointer try again later: a read held open by a slow export client must not stall the others.
CHECKPOINT_DRAIN_S = 2.0
#: A statement whose answer had more rows than this is prepared again at its next run, rather than kept prepared
#: with that answer's memory (_forget): preparing costs a few milliseconds, small beside such an answer.
LARGE_ANSWER_ROWS = 10_000
#: The least memory the engine gets when its bound comes from a container's limit: a bulk load needs about this.
MIN_ENGINE_MEMORY_BYTES = 64 << 20
#: Where a container's memory limit is read (cgroup v2, then v1); "max", or a v1 number near 2**63, means none.
CGROUP_MEMORY_LIMITS = (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))


def engine_memory_bytes(memory_mb: int, limits: Iterable[Path] = CGROUP_MEMORY_LIMITS) -> int:
    """The engine's memory bound: its buffer pool, which holds the file's cached pages, the pages written since the
    last checkpoint and every query's working memory (a search, a sort, an answer before its first row is read).
    `memory_mb` when set; else half of the container's memory limit when the process has one, since the engine's
    own default (80% of the machine's memory) does not see it and the kernel would kill the server before the
    engine refused a query; else 0, the engine's default."""
    if memory_mb > 0:
        return memory_mb << 20
    for path in limits:
        with contextlib.suppress(OSError, ValueError):
            limit = int(path.read_text().strip())  # "max" (no limit) fails here
            if limit < 1 << 60:
                return max(limit // 2, MIN_ENGINE_MEMORY_BYTES)
    return 0


def _sized(text: str, params: dict[str, Any]) -> str:
    """The statement's text, marked with the size class of its longest list parameter (powers of 4).

    LadybugDB's connection prepares a statement at its first run and keeps it for later runs of the same text, with
    the parameter values of that first run, which it copies at every later run: once a statement had run with a
    batch of thousands of rows, every later run of it with one row paid for copying them all (docs/measurements.md).
    Apart per size class, a statement copies at most four times the rows it is given."""
    longest = max((len(v) for v in params.values() if isinstance(v, list)), default=0)
    if longest <= 1:
        return text
    bound = 4
    while bound < longest:
        bound *= 4
    return f"{text}\n// rows <= {bound}"


#: How LadybugDB says its buffer pool is full.
_OUT_OF_MEMORY = "Buffer manager exception"
_SCAN = re.compile(r"\bLOAD FROM \$([A-Za-z_]\w*)")


@lru_cache(maxsize=1024)
def _scanned(text: str) -> tuple[str, ...]:
    return tuple(_SCAN.findall(text))


def _statement(text: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text to run (_sized) and its parameters, a list of maps that the statement scans (`LOAD FROM $rows`, a
    query's large-batch form: app/store/queries.py) handed over as an Arrow table: LadybugDB reads a table's columns
    at once, where it converts an `UNWIND`'s maps value by value (docs/measurements.md: Passing a batch's rows)."""
    sized = _sized(text, params)
    scans = _scanned(text)
    if not scans:
        return sized, params
    return sized, {**params, **{name: pyarrow.Table.from_pylist(params[name]) for name in scans}}


#: A key of the connection's prepared statements: (text, each parameter's name and type signature).
_PreparedKey = tuple[str, tuple[tuple[str, tuple[Any, ...]], ...]]


def _drop_prepared(conn: ladybug.Connection, which: Callable[[_PreparedKey], bool]) -> None:
    """Drop the connection's prepared statements whose cache key `which` picks (ladybug's Python cache, under its
    own lock: a statement running on the connection meanwhile keeps what it holds)."""
    cache: dict[_PreparedKey, Any] = getattr(conn, "_pybind_implicit_prepared_cache", {})
    with getattr(conn, "_prepared_cache_lock", contextlib.nullcontext()):
        for key in [k for k in cache if which(k)]:
            del cache[key]


def _forget(conn: ladybug.Connection, text: str | None = None) -> None:
    """Drop the connection's prepared statement of `text` (every one without `text`). A prepared statement keeps
    the working memory of its last run (its search, its sort, its whole answer: the engine collects an answer before
    the first row is read) in the buffer pool until it runs again, one copy per connection: the worst hub's export
    kept about 100 MB, and a statement that failed for want of memory kept what it had taken, so that the next
    queries failed too (docs/measurements.md: Where an export's memory goes)."""
    _drop_prepared(conn, lambda key: text is None or key[0] == text)


def _failed(conn: ladybug.Connection, text: str, exc: RuntimeError) -> Exception:
    """What a statement's failure means to the caller, once the engine has back what the statement had taken: the
    prepared statement is dropped, and so are the locals of the frames the error passed through, which hold it
    until the garbage collector finds the error's reference cycle. When the engine ran out of memory, every
    connection's prepared statements are dropped: each kept its last run's working memory (_forget), and with the
    pool full of them the next queries would be refused too."""
    traceback.clear_frames(exc.__traceback__)
    if _OUT_OF_MEMORY in str(exc):
        for sibling in list(getattr(conn.database, "_connections", [conn])):
            _forget(sibling)
    else:
        _forget(conn, text)
    return _translate(exc)


def _forget_scans(conn: ladybug.Connection, params: dict[str, Any]) -> None:
    """Drop what the connection kept of a statement that scanned Arrow tables. ladybug 0.22 caches every statement
    it prepares under its text and its parameters' types, and binds a scanned table when it prepares, so the type of
    a table parameter is that very table: every batch's scan was prepared anew and stayed cached, rows included, for
    the connection's life (docs/measurements.md: Passing a batch's rows)."""
    tables = [v for v in params.values() if isinstance(v, pyarrow.Table)]
    _drop_prepared(conn, lambda key: any(sig[:1] == ("pointer",) for _, sig in key[1]))
    tracker: dict[int, Any] = getattr(ladybug.connection, "_pybind_pointer_tracker", {})
    for table in tables:
        tracker.pop(id(table), None)


def _plain(value: Any) -> Any:
    """Turn LadybugDB node and relationship values into plain property dicts, as the Neo4j backend does."""
    if isinstance(value, dict) and ("_LABEL" in value or "_label" in value):
        return {k: v for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list) and value and isinstance(value[0], dict | list):
        return [_plain(v) for v in value]  # LadybugDB lists are homogeneous: lists of scalars pass as they are
    return value


def _translate(exc: Exception) -> Exception:
    message = str(exc)
    if "duplicated primary key" in message:
        return Conflict("a node with this natural key already exists: " + message)
    if "Interrupted" in message or "timeout" in message.lower():
        return QueryTimeout("the query took longer than its time limit and was stopped")
    if _OUT_OF_MEMORY in message:  # its buffer pool, which holds every query's working memory, is full
        log.warning("LadybugDB ran out of memory: %s", message)
        return OutOfMemory(
            "the answer needs more memory than the embedded database may use (LINEAGE_LADYBUG_MEMORY_MB); ask for less"
        )
    log.error("LadybugDB error: %s", message)
    return StoreFailure("the embedded database rejected the operation: " + message.splitlines()[0])


class OutOfMemory(StoreUnavailable):
    """The engine's buffer pool was full (LINEAGE_LADYBUG_MEMORY_MB): a read is tried once more, since what every
    prepared statement kept was given back when it failed."""


class Checkpointed(NamedTuple):
    """What a checkpoint did before its statement: the recent edges it folded and how long that took, then how long it
    waited for the reads and the write in progress to finish (new ones wait meanwhile)."""

    moved: int
    fold_s: float
    drain_s: float


class CheckpointPostponed(Exception):
    """A checkpoint gave up waiting for the reads (or the write) in progress; nothing was changed."""


class _ReadGate:
    """Keeps reads and checkpoints apart. LadybugDB runs reads beside its checkpoint (its non-blocking checkpoint),
    and such a read can see the file half rewritten: an asset that exists reported missing, an impact of nothing,
    or the engine's own assertion (`version_info.cpp`, UNREACHABLE_CODE) raised to the caller
    (tests/reliability/test_checkpoint_reads.py). So a checkpoint closes the gate: new reads wait, the ones in
    progress finish, and the gate opens again when the checkpoint is done. A thread already reading passes through
    (nested reads); writes are kept out by the store's write lock."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._closer = threading.Lock()  # one checkpoint at a time
        self._reads = 0
        self._shut = False
        self.waiting = 0  # reads held at the closed gate
        self._local = threading.local()

    @contextmanager
    def reading(self) -> Iterator[None]:
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            with self._cond:
                self.waiting += 1
                self._cond.wait_for(lambda: not self._shut)
                self.waiting -= 1
                self._reads += 1
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth
            if depth == 0:
                with self._cond:
                    self._reads -= 1
                    if self._reads == 0:
                        self._cond.notify_all()

    @contextmanager
    def closed(self, timeout_s: float) -> Iterator[int]:
        """Closed to new reads for the block, once the reads in progress have finished or `timeout_s` has passed:
        gives how many are still open."""
        with self._closer:
            with self._cond:
                self._shut = True
                self._cond.wait_for(lambda: self._reads == 0, timeout=timeout_s)
                still_open = self._reads
            try:
                yield still_open
            finally:
                with self._cond:
                    self._shut = False
                    self._cond.notify_all()


class LadybugStore:
    backend = "ladybug"

    def __init__(
        self,
        data_dir: Path,
        *,
        pool_size: int = 8,
        query_timeout_ms: int = 60_000,
        buffer_pool_bytes: int = 0,
        checkpoint_idle_s: float = 2.0,
        checkpoint_quiet_s: float = 30.0,
        queries: QuerySet | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_FILE
        self.queries = queries or QuerySet("ladybug")
        self.wal_path = self.path.with_name(self.path.name + ".wal")
        # a clean close leaves no write-ahead log
        unclean = self.wal_path.stat().st_size if self.wal_path.exists() else 0
        try:
            # A kill or power loss mid-write leaves a torn last WAL record. Refusing to open over it
            # (LadybugDB's Python default) turns an unacknowledged write into an unopenable database;
            # LadybugDB itself now defaults to discarding it (LadybugDB/ladybug#714, #716). Replay keeps
            # every committed transaction before it: tests/reliability/test_crash.py checks that.
            self._db = ladybug.Database(
                str(self.path),
                buffer_pool_size=buffer_pool_bytes,
                throw_on_wal_replay_failure=False,
                auto_checkpoint=False,
            )
        except RuntimeError as exc:
            raise StoreUnavailable(f"cannot open LadybugDB file {self.path}: {exc}") from exc
        if unclean:
            log.warning(
                "%s was not closed cleanly; replayed %d bytes of write-ahead log "
                "(a torn last record, from a write that was never acknowledged, is discarded)",
                self.path,
                unclean,
            )
        self._timeout_ms = query_timeout_ms
        self._memory_bytes = buffer_pool_bytes
        self._pool: queue.LifoQueue[ladybug.Connection] = queue.LifoQueue()
        for _ in range(pool_size):
            self._pool.put(self._connect())
        self._write_lock = threading.Lock()
        self._gate = _ReadGate()
        self._closed = False
        self._ensure_schema()
        self._checkpointer = (
            _Checkpointer(self, checkpoint_idle_s, checkpoint_quiet_s) if checkpoint_idle_s > 0 else None
        )

    def describe(self) -> str:
        memory = f"{self._memory_bytes >> 20} MiB" if self._memory_bytes else "the engine's default"
        return f"LadybugDB (embedded) file {self.path}, memory bound {memory}"

    def _connect(self) -> ladybug.Connection:
        conn = ladybug.Connection(self._db)
        conn.execute(f"CALL var_length_extend_max_depth={MAX_PATTERN_DEPTH}")
        if self._timeout_ms:
            conn.set_query_timeout(self._timeout_ms)
        return conn

    @contextmanager
    def _connection(self, timeout_s: float | None = None) -> Iterator[ladybug.Connection]:
        if self._closed:
            raise StoreUnavailable("the store is closed")
        conn = self._pool.get()
        if timeout_s is not None:
            conn.set_query_timeout(max(1, int(timeout_s * 1000)))
        try:
            yield conn
        finally:
            if timeout_s is not None:
                conn.set_query_timeout(self._timeout_ms)
            self._pool.put(conn)

    @contextmanager
    def _reading(self, timeout_s: float | None = None) -> Iterator[ladybug.Connection]:
        """A connection for reading outside a write: through the gate, so never beside a checkpoint (_ReadGate)."""
        with self._gate.reading(), self._connection(timeout_s) as conn:
            yield conn

    @staticmethod
    def _execute(conn: ladybug.Connection, text: str, params: dict[str, Any]) -> list[Row]:
        sized, bound = _statement(text, params)
        try:
            result = conn.execute(sized, bound)
            if isinstance(result, list):  # several statements: only schema files do that
                result = result[-1]
            rows = result.rows_as_dict().get_all()
            result.close()
        except RuntimeError as exc:
            raise _failed(conn, sized, exc) from exc
        finally:
            if bound is not params:
                _forget_scans(conn, bound)
        if len(rows) > LARGE_ANSWER_ROWS:
            _forget(conn, sized)
        return [{k: _plain(v) for k, v in row.items()} for row in rows]  # type: ignore[union-attr]

    @staticmethod
    def _iterate(conn: ladybug.Connection, text: str, params: dict[str, Any]) -> Iterator[Row]:
        sized, bound = _statement(text, params)
        try:
            try:
                result = conn.execute(sized, bound)
            except RuntimeError as exc:
                raise _failed(conn, sized, exc) from exc
            try:
                columns = result.get_column_names()  # type: ignore[union-attr]
                while result.has_next():  # type: ignore[union-attr]
                    yield {k: _plain(v) for k, v in zip(columns, result.get_next(), strict=True)}  # type: ignore[union-attr]
            finally:
                result.close()  # type: ignore[union-attr]
        finally:
            _forget(conn, sized)  # an answer read a row at a time is a large one (an export)
            if bound is not params:
                _forget_scans(conn, bound)

    def _bound(self, conn: ladybug.Connection) -> BoundTx:
        return BoundTx(
            self.queries,
            lambda text, params: self._execute(conn, text, params),
            lambda text, params: self._iterate(conn, text, params),
        )

    def read(self, work: Callable[[BoundTx], T], *, timeout_s: float | None = None) -> T:
        try:
            return self._read(work, timeout_s)
        except OutOfMemory:  # the statements' kept memory was given back when it failed (_failed): once more
            return self._read(work, timeout_s)

    def _read(self, work: Callable[[BoundTx], T], timeout_s: float | None) -> T:
        with self._reading(timeout_s) as conn:
            self._execute(conn, "BEGIN TRANSACTION READ ONLY", {})
            try:
                result = work(self._bound(conn))
            except BaseException:
                self._abandon(conn)
                raise
            self._execute(conn, "COMMIT", {})
            return result

    @staticmethod
    def _abandon(conn: ladybug.Connection) -> None:
        """Roll back after a failure; an interrupted query (a timeout) has ended the transaction already."""
        with contextlib.suppress(RuntimeError):
            conn.execute("ROLLBACK")

    def write(self, work: Callable[[BoundTx], T], *, timeout_s: float | None = None) -> T:
        if not self._write_lock.acquire(timeout=30):
            raise StoreUnavailable("the embedded database is busy with other writes; retry")
        try:
            with self._connection(timeout_s) as conn:
                self._execute(conn, "BEGIN TRANSACTION", {})
                try:
                    result = work(self._bound(conn))
                except BaseException:
                    self._abandon(conn)
                    raise
                self._execute(conn, "COMMIT", {})
                if self._checkpointer is not None:
                    self._checkpointer.wrote()
                return result
        finally:
            self._write_lock.release()

    def checkpoint(self, fold: bool = True) -> Checkpointed:
        """Fold the write-ahead log into the database file. Reads that must consult a long WAL are slower
        (docs/measurements.md); the engine's own checkpoint is off.

        With `fold`, the lineage edges written since the last fold first move from the recent tables into the
        large ones (one write transaction): the checkpoint then rewrites the large tables' node groups those edges
        land in, seconds at a large store, where a checkpoint without it rewrites only the recent tables. Returns
        how many edges moved and where the time went before the statement. Raises `CheckpointPostponed` when reads
        in progress did not finish in time."""
        moved = 0
        started = time.monotonic()
        if fold:
            with self._write_lock, self._connection() as conn:
                moved = self._fold(conn)
        folded = time.monotonic()
        with self._gate.closed(CHECKPOINT_DRAIN_S) as still_open:
            if still_open:
                raise CheckpointPostponed(f"{still_open} read(s) still open after {CHECKPOINT_DRAIN_S} s")
            if not self._write_lock.acquire(timeout=CHECKPOINT_DRAIN_S):
                raise CheckpointPostponed(f"a write still running after {CHECKPOINT_DRAIN_S} s")
            done = Checkpointed(moved=moved, fold_s=folded - started, drain_s=time.monotonic() - folded)
            try:
                with self._connection() as conn:
                    self._execute(conn, "CHECKPOINT", {})
            finally:
                self._write_lock.release()
        return done

    def _fold(self, conn: ladybug.Connection) -> int:
        waiting = self._recent_edges(conn)
        if not waiting:
            return 0
        self._execute(conn, "BEGIN TRANSACTION", {})
        try:
            for name in ("recent_read_fold", "recent_wrote_fold", "recent_feeds_fold"):
                self._execute(conn, self.queries[name].text, {})
        except BaseException:
            self._execute(conn, "ROLLBACK", {})
            raise
        self._execute(conn, "COMMIT", {})
        return waiting

    def _recent_edges(self, conn: ladybug.Connection) -> int:
        return int(self._execute(conn, self.queries["recent_edges_count"].text, {})[0]["n"])

    def recent_edges(self) -> int:
        """How many lineage edges wait in the recent tables (see checkpoint)."""
        with self._reading() as conn:
            return self._recent_edges(conn)

    def regex_error(self, pattern: str) -> str | None:
        text, bound = self.queries["regex_check"].bind({"pattern": pattern})
        with self._reading() as conn:
            try:
                conn.execute(text, bound).close()  # type: ignore[union-attr]
            except RuntimeError:
                return (
                    "LadybugDB's engine (RE2) does not compile it: RE2 has no backreferences, lookaround or \\Z, "
                    "and repeats at most 1000 times"
                )
        return None

    def ping(self) -> None:
        with self._reading() as conn:
            self._execute(conn, "RETURN 1 AS ok", {})

    # -- schema -------------------------------------------------------------------------------------

    def _tables(self, conn: ladybug.Connection) -> set[str]:
        return {row["name"] for row in self._execute(conn, "CALL show_tables() RETURN name", {})}

    def _ensure_schema(self) -> None:
        with self._write_lock, self._connection() as conn:
            tables = self._tables(conn)
            if "SchemaInfo" not in tables:
                if tables:
                    raise SchemaVersionError(
                        f"{self.path} holds tables {sorted(tables)} but no schema version: "
                        "it was not created by this service; point --data-dir elsewhere"
                    )
                for statement in self.queries.schema_statements():
                    self._execute(conn, statement, {})
                self._set_version(conn, model.SCHEMA_VERSION)
                log.info("created LadybugDB schema v%s in %s", model.SCHEMA_VERSION, self.path)
                return
            migrate(
                str(self.path),
                self._version(conn),
                self.queries,
                run=lambda statement: self._execute(conn, statement, {}),
                record=lambda version: self._set_version(conn, version),
            )

    def _version(self, conn: ladybug.Connection) -> int:
        q = self.queries["schema_version_get"]
        rows = self._execute(conn, q.text, {"key": "schema"})
        return int(rows[0]["version"]) if rows else 0

    def _set_version(self, conn: ladybug.Connection, version: int) -> None:
        q = self.queries["schema_version_set"]
        self._execute(conn, q.text, {"key": "schema", "version": version, "now": now_iso()})

    # -- bulk ---------------------------------------------------------------------------------------

    def bulk_load(
        self,
        assets: Iterable[BulkAsset],
        runs: Iterable[BulkRun],
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        from app.store.ladybug_bulk import copy_from  # only benchmarks and imports need it

        with self._write_lock, self._connection() as conn:
            copy_from(lambda text, params: self._execute(conn, text, params), self.queries, assets, runs, progress)
            if self._checkpointer is not None:
                self._checkpointer.wrote()

    def close(self) -> None:
        if self._closed:
            return
        if self._checkpointer is not None:
            self._checkpointer.stop()
        try:
            with self._write_lock, self._connection() as conn:
                self._fold(conn)  # a clean stop leaves every edge in the large tables
        except Exception:  # the recent tables are read like the large ones: nothing is lost by leaving them
            log.exception("could not fold the recent lineage edges at close")
        # Closing checkpoints: the reads still running finish first (or the wait gives up and closes anyway).
        with self._gate.closed(CHECKPOINT_DRAIN_S * 5):
            self._closed = True
            while not self._pool.empty():
                self._pool.get_nowait().close()
            self._db.close()


class _Checkpointer:
    """Checkpoints once writes have paused for `idle_s` seconds after a burst that grew the WAL past
    BUSY_WAL_BYTES, or for `quiet_s` after fewer; during continuous writes, once the WAL has grown and a checkpoint
    would cost under 5% of the time since the last one.

    Orchestrators write in bursts (a flow run records its task runs together); checkpointing in the pause
    after a burst keeps reads at their fastest without putting a multi-second checkpoint on a write's path.
    A writer that never pauses would otherwise read over an ever longer WAL, which slows every statement, point
    lookups included. While a checkpoint runs new transactions wait for it, so a trickle (a recording every few
    seconds) is not checkpointed at each of its pauses: on a large store each of those checkpoints rewrote whole
    document columns for one run and held the next recording up to 1.5 s (docs/measurements.md).

    A checkpoint's length is the relationship tables it rewrites: every node group new edges land in, with its
    string columns (nodes and `current` flags cost little). So new lineage edges go to small recent tables, and the
    large ones take them (a fold) only once enough have gathered: FOLD_PAUSED_EDGES when writes pause,
    FOLD_RECENT_EDGES during continuous writes. A checkpoint otherwise rewrites the recent tables only.
    A fold's checkpoint costs seconds at a large store however few edges it moves, and a write arriving meanwhile
    waits for it: folding at every pause stalled a writer posting every few seconds at each of its posts
    (docs/measurements.md: the checkpointer)."""

    BUSY_WAL_BYTES = 1 << 20
    #: Past this many recent edges a busy checkpoint folds them too: reads walk the recent tables beside the large
    #: ones, a little slower the larger they grow (minutes of steady writes: docs/measurements.md).
    FOLD_RECENT_EDGES = 50_000
    #: Past this many a checkpoint after a pause folds them: the busy checkpoints that follow rewrite fewer.
    FOLD_PAUSED_EDGES = 5_000
    BUSY_COST_SHARE = 0.05
    #: The cost assumed until a busy checkpoint is timed: the recent tables', and some node groups'.
    FIRST_BUSY_COST_S = 0.5

    def __init__(self, store: LadybugStore, idle_s: float, quiet_s: float) -> None:
        self._store = store
        self._idle_s = idle_s
        #: writes paused this long are checkpointed whatever the WAL holds
        self._quiet_s = max(quiet_s, idle_s)
        self._last_write: float | None = None
        self._last_done = time.monotonic()
        self._last_cost: float | None = None
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ladybug-checkpoint", daemon=True)
        self._thread.start()

    def wrote(self) -> None:
        self._last_write = time.monotonic()
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        self._thread.join(timeout=60)

    def _wal_bytes(self) -> int:
        try:
            return self._store.wal_path.stat().st_size
        except OSError:
            return 0

    def _pause_why(self, pause: float) -> str | None:
        """Why a pause this long is checkpointed now (None: not yet)."""
        if pause >= self._quiet_s:
            return f"writes paused for {self._quiet_s:g} s"
        if pause >= self._idle_s and self._wal_bytes() >= self.BUSY_WAL_BYTES:
            return "writes paused"
        return None

    def _busy_due(self, now: float) -> bool:
        wal = self._wal_bytes()
        if wal < self.BUSY_WAL_BYTES:
            return False
        if wal >= MAX_WAL_BYTES:
            return now - self._last_done >= self._idle_s
        cost = self.FIRST_BUSY_COST_S if self._last_cost is None else self._last_cost
        return now - self._last_done >= cost / self.BUSY_COST_SHARE

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait()
            last = self._last_write
            if last is None or self._stopped.is_set():
                self._wake.clear()
                continue
            now = time.monotonic()
            pause = now - last
            if why := self._pause_why(pause):
                self._wake.clear()
                if self._last_write != last:
                    continue  # written to while this thread looked: wait for the next pause
                self._last_write = None
                self._checkpoint(why, fold=self._store.recent_edges() >= self.FOLD_PAUSED_EDGES)
            elif self._busy_due(now):
                fold = self._store.recent_edges() >= self.FOLD_RECENT_EDGES
                self._checkpoint("the WAL grew during continuous writes", fold=fold)
            else:
                due = self._idle_s if pause < self._idle_s else self._quiet_s
                self._stopped.wait(min(due - pause, 0.5))

    def _checkpoint(self, why: str, fold: bool) -> None:
        wal = self._wal_bytes()
        started = time.monotonic()
        try:
            done = self._store.checkpoint(fold=fold)
        except CheckpointPostponed as exc:  # tried again after another pause, or the busy rule's interval
            log.warning("checkpoint postponed (%s): %s", why, exc)
            self._last_done = time.monotonic()
            self._last_write = self._last_write or self._last_done
            self._wake.set()
            return
        except Exception:  # the next write retries; the WAL stays correct meanwhile
            log.exception("LadybugDB checkpoint failed")
            return
        self._last_done = time.monotonic()
        cost = self._last_done - started
        if wal >= self.BUSY_WAL_BYTES and not fold:
            # Only a checkpoint of a WAL as long as the busy rule waits for predicts the next one's cost: taking
            # that of a near-empty WAL as the cost made the busy rule fire again as soon as the WAL passed 1 MiB,
            # long checkpoints back to back during a stream of events (docs/measurements.md).
            self._last_cost = cost
        if self._last_write is not None:
            # Writers held back by the checkpoint look like a pause; measured from its end, that pause would
            # trigger the next checkpoint at once (docs/measurements.md).
            self._last_write = max(self._last_write, self._last_done)
        _log_done(cost, why, wal, done)


def _log_done(cost: float, why: str, wal: int, done: Checkpointed) -> None:
    """One line an operator can read a long checkpoint from: its WAL, its fold, its wait for the others."""
    log.info(
        "checkpoint done in %.2f s (%s; %.1f MB of WAL%s; %.2f s of it waiting for reads and a write to finish)",
        cost,
        why,
        wal / 1e6,
        f"; {done.moved:,} recent edges folded in {done.fold_s:.2f} s" if done.moved else "",
        done.drain_s,
    )
