"""Start the test Neo4j (Neo4j Community from Maven Central, see pom.xml and Launcher.java) and stop it.

Used by the tests' `neo4j_server` fixture and by hand for benchmarks:

    .venv/bin/python -m tests.neo4j_server          # prints the Bolt URI, serves until Ctrl-C

(`TEST_NEO4J_HEAP_MB`, `TEST_NEO4J_PAGECACHE_MB` size it; `TEST_NEO4J_LOG` keeps its log; `TEST_NEO4J_CONF` names a
file of extra settings in neo4j.conf syntax; `TEST_NEO4J_JVM_OPTIONS` adds JVM options.)

The classpath is resolved by Maven once into `target/classpath.txt` (ignored by git) and reused while the pom
is unchanged. Needs `java` (17+) and `mvn` on PATH; `Unavailable` says which is missing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
TARGET = HERE / "target"
READY_PREFIX = "neo4j-launcher ready "


class Unavailable(RuntimeError):
    """This machine cannot run the test Neo4j (no Java or Maven); the message says why."""


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str = "neo4j"
    password: str = ""


def pinned_version() -> str:
    """The Neo4j version pom.xml pins (compose.yaml's image must be the same)."""
    text = POM.read_text(encoding="utf-8")
    start = text.index("<neo4j.version>") + len("<neo4j.version>")
    return text[start : text.index("</neo4j.version>", start)]


def classpath() -> str:
    """The launcher's classpath, resolved by Maven when the pom changed since the last resolution."""
    return resolve_classpath(POM, TARGET, "Neo4j")


@contextmanager
def maven_alone() -> Iterator[None]:
    """Held while Maven runs: the test processes (pytest-xdist's workers) share one local repository, `~/.m2`, and
    two Maven runs downloading the same artifact into it at once can leave a torn file there."""
    repository = Path.home() / ".m2"
    repository.mkdir(exist_ok=True)
    with open(repository / ".lineage-tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, and by the kernel if this process dies
        yield


def resolve_classpath(pom: Path, target: Path, what: str) -> str:
    """The classpath of a pom's dependencies, resolved by Maven into `target` once per version of the pom (the test
    Kafka's launcher uses it too)."""
    mvn = shutil.which("mvn")
    if not mvn:
        raise Unavailable("Maven (mvn) is not on PATH")
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:16]
    out = target / f"classpath-{digest}.txt"
    with maven_alone():
        if not out.exists():  # checked again under the lock: another test process may have just resolved it
            target.mkdir(exist_ok=True)
            partial = out.with_suffix(".partial")
            cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:build-classpath", f"-Dmdep.outputFile={partial}"]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise Unavailable(f"Maven could not resolve {what}: {(done.stdout + done.stderr)[-2000:]}")
            partial.replace(out)  # only a complete resolution is ever reused
    return out.read_text(encoding="utf-8").strip()


def _read_ready_line(proc: subprocess.Popen[str], timeout_s: float) -> str:
    """The launcher's one stdout line, or an error with the end of its log."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline() if proc.stdout else ""), daemon=True)
    reader.start()
    reader.join(timeout_s)
    line = lines[0].strip() if lines else ""
    if not line.startswith(READY_PREFIX):
        proc.kill()
        proc.wait()
        raise RuntimeError(f"the test Neo4j did not start within {timeout_s:.0f} s (exit {proc.returncode})")
    return line[len(READY_PREFIX) :]


@contextmanager
def running(
    heap_mb: int = 1024,
    pagecache_mb: int = 512,
    log_path: Path | None = None,
    conf: Path | None = None,
    jvm_options: tuple[str, ...] = (),
) -> Iterator[Neo4jServer]:
    """A test Neo4j on a free loopback port with a temporary store, stopped (SIGTERM) on exit. `conf` is a file
    of extra settings in neo4j.conf syntax; `jvm_options` go to the JVM."""
    java = shutil.which("java")
    if not java:
        raise Unavailable("Java (java) is not on PATH")
    cp = classpath()
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    # The serial collector: the test server shares two cores with the suite, and G1's concurrent threads cost CPU
    # that a short-lived server with a small heap does not need (docs/measurements.md, "The test suite").
    gc = [] if any(o.startswith("-XX:+Use") and o.endswith("GC") for o in jvm_options) else ["-XX:+UseSerialGC"]
    cmd = [java, f"-Xms{heap_mb}m", f"-Xmx{heap_mb}m", *gc, *jvm_options]
    cmd += ["-cp", cp, str(HERE / "Launcher.java"), "--pagecache-mb", str(pagecache_mb)]
    if conf is not None:
        cmd += ["--conf", str(conf)]
    # stdin stays open for the server's life: the launcher exits when it closes, even if we are killed.
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        uri = _read_ready_line(proc, timeout_s=180)
        _wait_until_connected(uri, timeout_s=60)
        yield Neo4jServer(uri)
    finally:
        stop(proc)
        if proc.stdin:
            proc.stdin.close()
        if proc.stdout:
            proc.stdout.close()
        if log_path:
            log.close()  # type: ignore[union-attr]


def stop(proc: subprocess.Popen, timeout_s: float = 60) -> None:  # type: ignore[type-arg]
    """SIGTERM, then SIGKILL if it has not exited within `timeout_s` (the test Kafka's launcher uses it too)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_connected(uri: str, timeout_s: float) -> None:
    import neo4j

    deadline = time.monotonic() + timeout_s
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        while True:
            try:
                driver.verify_connectivity()
                return
            except neo4j.exceptions.DriverError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)  # polling a server that is starting, not waiting for time to pass


def wipe(server: Neo4jServer) -> None:
    """Delete every node and relationship (constraints and indexes stay): a fresh database for tests that use
    fixed tenants such as `main`. Community Neo4j has one user database, so this is how a test gets its own."""
    import neo4j

    auth = (server.user, server.password) if server.password else None
    with neo4j.GraphDatabase.driver(server.uri, auth=auth) as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def main() -> None:
    heap = int(os.environ.get("TEST_NEO4J_HEAP_MB", "2048"))
    pagecache = int(os.environ.get("TEST_NEO4J_PAGECACHE_MB", "2048"))
    log = Path(os.environ.get("TEST_NEO4J_LOG", os.devnull))
    conf = Path(os.environ["TEST_NEO4J_CONF"]) if os.environ.get("TEST_NEO4J_CONF") else None
    jvm = tuple(os.environ.get("TEST_NEO4J_JVM_OPTIONS", "").split())
    try:
        with running(heap_mb=heap, pagecache_mb=pagecache, log_path=log, conf=conf, jvm_options=jvm) as server:
            print(server.uri, flush=True)
            with suppress(KeyboardInterrupt):
                threading.Event().wait()
    except Unavailable as exc:
        sys.exit(f"test Neo4j unavailable: {exc}")


if __name__ == "__main__":
    main()
