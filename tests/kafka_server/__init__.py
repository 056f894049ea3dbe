"""Start the test Kafka (Apache Kafka in KRaft mode, from Maven Central: see pom.xml) and stop it.

Used by the tests' `kafka` fixture, and by hand:

    .venv/bin/python -m tests.kafka_server [--port 9092] [--data-dir /tmp/kafka]   # prints host:port first

One process is broker and controller. A data directory is formatted once (kafka.tools.StorageTool) and reused, so
a broker stopped and started again on the same port and directory keeps its topics and offsets (the tests stop it
to see the service's backlog grow and drain). The classpath is resolved by Maven into `target/` like the test
Neo4j's (tests/neo4j_server). `TEST_KAFKA_HEAP_MB` sizes the JVM (default 384).
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.neo4j_server import Unavailable, resolve_classpath, stop

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"


@dataclass(frozen=True)
class KafkaServer:
    bootstrap: str
    port: int
    data_dir: Path


def pinned_version() -> str:
    text = POM.read_text(encoding="utf-8")
    start = text.index("<kafka.version>") + len("<kafka.version>")
    return text[start : text.index("</kafka.version>", start)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _properties(data_dir: Path, port: int, controller_port: int) -> str:
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
            f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            f"log.dirs={data_dir / 'logs'}",
            "num.partitions=3",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            "",
        ]
    )


def _format(java: str, cp: str, data_dir: Path, config: Path) -> None:
    if (data_dir / "logs" / "meta.properties").exists():
        return
    cluster = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    # `=`: an id starting with "-" (1 in 64) is otherwise read as an option, and the format fails
    cmd = [
        java,
        "-Xmx256m",
        "-cp",
        cp,
        "kafka.tools.StorageTool",
        "format",
        f"--cluster-id={cluster}",
        "-c",
        str(config),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"formatting the test Kafka's storage failed: {(done.stdout + done.stderr)[-2000:]}")


def _wait_until_serving(bootstrap: str, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0})
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the test Kafka exited with {proc.returncode} while starting")
        try:
            admin.list_topics(timeout=2)
            return
        except Exception:  # not up yet: list_topics timed out or was refused
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test Kafka did not start within {timeout_s:.0f} s") from None


@contextmanager
def running(port: int | None = None, data_dir: Path | None = None, heap_mb: int | None = None) -> Iterator[KafkaServer]:
    """A test Kafka on `port` (a free one by default) with its data in `data_dir` (a temporary one by default, deleted
    on exit), stopped on exit."""
    java = shutil.which("java")
    if not java:
        raise Unavailable("Java (java) is not on PATH")
    cp = resolve_classpath(POM, HERE / "target", "Kafka")
    temporary = data_dir is None
    data = Path(tempfile.mkdtemp(prefix="test-kafka-")) if data_dir is None else data_dir
    data.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    controller_file = data / "controller.port"  # the same controller port on a restart: the quorum is recorded
    controller_port = int(controller_file.read_text()) if controller_file.exists() else free_port()
    controller_file.write_text(str(controller_port))
    config = data / "server.properties"
    config.write_text(_properties(data, port, controller_port))
    heap = heap_mb or int(os.environ.get("TEST_KAFKA_HEAP_MB", "384"))
    try:
        _format(java, cp, data, config)
        cmd = [java, f"-Xmx{heap}m", f"-Xms{heap}m", "-XX:+UseSerialGC", "-cp", cp, "kafka.Kafka", str(config)]
        log = open(data / "kafka.log", "ab")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            bootstrap = f"127.0.0.1:{port}"
            _wait_until_serving(bootstrap, proc, timeout_s=120)
            yield KafkaServer(bootstrap=bootstrap, port=port, data_dir=data)
        finally:
            stop(proc)
            log.close()
    finally:
        if temporary:
            shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.kafka_server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="the broker's port (default: a free one)")
    parser.add_argument("--data-dir", type=Path, help="its data (default: a temporary directory)")
    args = parser.parse_args()
    try:
        with running(port=args.port, data_dir=args.data_dir) as server:
            print(server.bootstrap, flush=True)
            with suppress(KeyboardInterrupt):
                threading.Event().wait()
    except Unavailable as exc:
        sys.exit(f"test Kafka unavailable: {exc}")
