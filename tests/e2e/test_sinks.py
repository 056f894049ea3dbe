"""Catalogs pull for real: `lineage serve --kafka-bootstrap` publishes every recorded run to a real Kafka broker (the
test Kafka, tests/kafka_server) and `--forward-url` forwards it to a real receiver (a second `lineage serve`), through
the outbox; on both backends.

- A consumer configured as OpenMetadata's OpenLineage connector is (a new consumer group, `earliest`) receives every
  event the pull feed serves for the recorded Kestra executions and OpenLineage runs, and the DatasetEvents, each
  valid against the official spec, keyed by its run id, in order within its run; a second service that takes the
  topic in (`lineage import --kafka`) answers impact and upstream exactly as the first.
- The broker stopped while executions are recorded, then started: every run's events arrive, none twice in the
  consumer's deduplicated view, in order within each run; then the service killed with `kill -9` with a backlog:
  after its restart the backlog is delivered.
- Forwarding to a receiver that is down for a while, then rejects one event: the rest arrives, the refused event is
  set aside with the receiver's reason (`GET /outbox`), and the receiver answers impact and upstream as the sender.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.e2e.server import Server, free_port
from tests.e2e.test_auth_cli import REQUEST_TIMEOUT, lineage
from tests.kafka_server import KafkaServer, running
from tests.neo4j_server import Unavailable

TENANT = "main"
BASE = f"/api/v1/{TENANT}"
#: how long events may take to arrive (a broker's first topic, a sink's back-off after an outage)
ARRIVAL_S = 120.0


@contextmanager
def broker(**kw: Any) -> Iterator[KafkaServer]:
    """The test Kafka; where it cannot start (no Java or Maven) the test skips with the reason, unless CI requires
    the real parts (LINEAGE_REQUIRE_NEO4J=1: they run on Java and Maven alike), where that is a failure."""
    try:
        with running(**kw) as server:
            yield server
    except Unavailable as exc:
        if os.environ.get("LINEAGE_REQUIRE_NEO4J") == "1":
            pytest.fail(f"the test Kafka cannot start: {exc}", pytrace=False)
        pytest.skip(f"the test Kafka cannot start here ({exc})")


@pytest.fixture(scope="module")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaServer]:
    with broker(data_dir=tmp_path_factory.mktemp("kafka")) as server:
        yield server


def execution(n: int, state: str = "SUCCESS", namespace: str = "data") -> dict[str, Any]:
    day = f"2026-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"
    return {
        "id": f"e{n}",
        "namespace": namespace,
        "flowId": f"load_{n % 3}",
        "state": state,
        "startDate": day,
        "endDate": day.replace(":00:00Z", ":05:00Z"),
        "taskRuns": [
            {
                "taskId": "copy",
                "assets": {"inputs": [{"id": f"raw.t{n % 7}"}], "outputs": [{"id": f"mart.t{n % 5}"}]},
            }
        ],
    }


def ol_run(run_id: str, source: str, target: str) -> list[dict[str, Any]]:
    def ds(name: str, **facets: Any) -> dict[str, Any]:
        return {"namespace": "postgres://db:5432", "name": name, "facets": facets}

    column = {
        "_producer": "https://github.com/OpenLineage/OpenLineage",
        "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json",
        "fields": {"id": {"inputFields": [{"namespace": "postgres://db:5432", "name": source, "field": "id"}]}},
    }
    common = {
        "producer": "https://github.com/apache/airflow",
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": run_id, "facets": {}},
        "job": {"namespace": "airflow-prod", "name": f"dag.{target}", "facets": {}},
        "inputs": [ds(source)],
    }
    return [
        {**common, "eventType": "START", "eventTime": "2026-03-02T10:00:00Z", "outputs": [ds(target)]},
        {
            **common,
            "eventType": "COMPLETE",
            "eventTime": "2026-03-02T10:05:00Z",
            "outputs": [ds(target, columnLineage=column)],
        },
    ]


def record(url: str, bodies: list[dict[str, Any]]) -> None:
    """Record executions as 8 concurrent clients do."""
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client, ThreadPoolExecutor(8) as pool:
        for response in pool.map(lambda body: client.post(f"{BASE}/executions", json=body), bodies):
            assert response.status_code == 201, response.text


def pull_feed(url: str) -> list[dict[str, Any]]:
    events, cursor = [], None
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        while True:
            params: dict[str, Any] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
            page = client.get(f"{BASE}/openlineage/events", params=params)
            assert page.status_code == 200, page.text
            events += page.json()["events"]
            cursor = page.json()["nextCursor"]
            if not cursor:
                return events


def consume(bootstrap: str, topic: str, until: int) -> list[tuple[str, dict[str, Any]]]:
    """(key, event) of the topic's messages from the start, as a new consumer group reads them (OpenMetadata's
    connector: `auto.offset.reset=earliest`), until `until` distinct events arrived or the time is up."""
    from confluent_kafka import Consumer

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"catalog-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    out: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    deadline = time.monotonic() + ARRIVAL_S
    try:
        while len(seen) < until and time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            event = json.loads(message.value())
            out.append((message.key().decode(), event))
            seen.add(canonical(event))
    finally:
        consumer.close()
    return out


def canonical(event: dict[str, Any]) -> str:
    return json.dumps(event, sort_keys=True)


def in_run_order(messages: list[tuple[str, dict[str, Any]]]) -> dict[str, list[str]]:
    """Each run's event types in the order they arrived, first arrivals only (the deduplicated view)."""
    runs: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for key, event in messages:
        if canonical(event) not in seen:
            seen.add(canonical(event))
            runs[key].append(event.get("eventType", "DATASET"))
    return runs


#: impact and upstream questions both services must answer alike
QUESTIONS = [
    ("raw.t3", "impact"),
    ("mart.t2", "upstream"),
    ("postgres://db:5432/src1", "impact"),
    ("postgres://db:5432/dst2", "upstream"),
]


def test_a_catalog_consumer_receives_every_recorded_run_in_order(
    tmp_path: Path, serve_flags: list[str], kafka: KafkaServer, ol_spec: Any
) -> None:
    topic = f"openlineage-{uuid.uuid4().hex[:8]}"
    flags = [*serve_flags, "--kafka-bootstrap", kafka.bootstrap, "--kafka-topic", topic]
    with Server(tmp_path / "data", *flags) as server:
        record(server.url, [execution(n, state="FAILED" if n % 4 == 3 else "SUCCESS") for n in range(12)])
        events = [e for n in range(3) for e in ol_run(str(uuid.uuid4()), f"src{n}", f"dst{n}")]
        dataset = {
            "eventTime": "2026-03-02T11:00:00Z",
            "producer": "https://github.com/apache/airflow",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
            "dataset": {"namespace": "s3://lake", "name": "landing/orders", "facets": {}},
        }
        answer = httpx.post(f"{server.url}{BASE}/openlineage/batch", json=[*events, dataset], timeout=REQUEST_TIMEOUT)
        assert answer.json()["applied"] == 7, answer.text
        table = {"namespace": "data", "type": "io.kestra.plugin.ee.assets.Table", "description": "Orders, daily"}
        for name in ("warehouse.orders", "warehouse.stale"):
            put = httpx.put(f"{server.url}{BASE}/assets/{name}", json=table, timeout=REQUEST_TIMEOUT)
            assert put.status_code == 201, put.text
        purge = {"filters[id][EQUALS]": "warehouse.stale", "purge": "true"}
        for where, body, params in (("by-ids", ["warehouse.orders"], {}), ("by-query", None, purge)):
            # Kestra's bulk delete, then its purge
            gone = httpx.request("DELETE", f"{server.url}{BASE}/assets/{where}", json=body, params=params,
                                 timeout=REQUEST_TIMEOUT)  # fmt: skip
            assert gone.status_code == 200 and gone.json() == {"count": 1}, gone.text
        feed = pull_feed(server.url)
        messages = consume(kafka.bootstrap, topic, until=len(feed) + 5)
        with Server(tmp_path / "copy") as copy:  # a second service takes the topic in, as a catalog would
            done = lineage("import", "--kafka", kafka.bootstrap, "--topic", topic, "--idle", "3", "--server", copy.url)
            assert done.returncode == 0, done.stderr
            for asset, direction in QUESTIONS:
                path = f"{BASE}/assets/{quote(asset, safe='')}/{direction}"
                sent = httpx.get(server.url + path, timeout=REQUEST_TIMEOUT).json()
                got = httpx.get(copy.url + path, timeout=REQUEST_TIMEOUT).json()
                assert summary(sent) and summary(got) == summary(sent), (asset, direction)
    received = {canonical(e) for _, e in messages}
    datasets = [e for _, e in messages if "dataset" in e]  # an OpenLineage DatasetEvent, and an asset's PUT
    assert sorted(e["dataset"]["facets"]["kestra_asset"]["id"] for e in datasets) == [
        "s3://lake/landing/orders",
        *["warehouse.orders"] * 2,  # its PUT and its bulk delete
        *["warehouse.stale"] * 2,  # its PUT and its purge
    ]
    # a removal reaches the catalog as a dropped dataset
    drops = [e["dataset"]["facets"] for e in datasets if e["dataset"]["facets"]["kestra_asset"]["assetDeleted"]]
    assert [f["lifecycleStateChange"]["lifecycleStateChange"] for f in drops] == ["DROP", "DROP"]
    assert received - {canonical(e) for e in feed} == {canonical(e) for e in datasets}
    assert {canonical(e) for e in feed} <= received  # every event the pull feed serves, as it serves it
    for key, event in messages:
        assert ol_spec.errors(event) == [], event
        dataset = event.get("dataset") or {}
        assert key == (event["run"]["runId"] if "run" in event else f"{dataset['namespace']}/{dataset['name']}")
    for key, types in in_run_order(messages).items():
        # a run's events in order, each once; a dataset's changes are DatasetEvents, as many as it had
        assert types[0] in ("START", "DATASET") and (types[0] == "DATASET" or len(types) == len(set(types))), (
            key,
            types,
        )


def outbox(url: str) -> dict[str, Any]:
    response = httpx.get(f"{url}{BASE}/outbox", timeout=REQUEST_TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def wait_for(check: Any, what: str) -> Any:
    """Poll a condition on a live system (events in flight), up to ARRIVAL_S."""
    deadline = time.monotonic() + ARRIVAL_S
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling a system that delivers in the background, not waiting for time to pass


def test_a_backlog_survives_a_stopped_broker_and_a_killed_service(tmp_path: Path, serve_flags: list[str]) -> None:
    topic, port, data = f"openlineage-{uuid.uuid4().hex[:8]}", free_port(), tmp_path / "kafka"
    flags = [*serve_flags, "--kafka-bootstrap", f"127.0.0.1:{port}", "--kafka-topic", topic]
    server = Server(tmp_path / "data", *flags)
    with broker(port=port, data_dir=data):
        server.start()
        record(server.url, [execution(n) for n in range(5)])  # the topic exists and the sink has delivered
        wait_for(lambda: outbox(server.url)["sinks"][0]["backlog"] == 0, "the first events to be delivered")
    record(server.url, [execution(n) for n in range(5, 255)])  # the broker is down
    status = wait_for(lambda: outbox(server.url)["sinks"][0]["lastError"] and outbox(server.url), "the sink's error")
    assert status["sinks"][0]["backlog"] == 500 and status["sinks"][0]["oldestUndelivered"]
    assert wait_for(lambda: "sink kafka: Kafka: no broker answered" in server.output(), "the server's log line")
    assert "backlog" in server.output().split("sink kafka: Kafka: no broker answered")[-1].splitlines()[0]
    with broker(port=port, data_dir=data) as kafka:
        wait_for(lambda: outbox(server.url)["sinks"][0]["backlog"] == 0, "the backlog to drain")
    record(server.url, [execution(n) for n in range(255, 500)])  # down again, then the service is killed
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    with broker(port=port, data_dir=data) as kafka:
        server.start()
        messages = consume(kafka.bootstrap, topic, until=1000)
        server.stop()
    runs = in_run_order(messages)
    assert len(runs) == 500 and all(types == ["START", "COMPLETE"] for types in runs.values())
    assert len({canonical(e) for _, e in messages}) == 1000


def test_forwarding_outlasts_a_down_receiver_and_sets_a_refused_event_aside(
    tmp_path: Path, serve_flags: list[str], backend: str
) -> None:
    auth = tmp_path / "auth.yaml"
    made = lineage("token", "create", "--auth-file", str(auth), "--tenant", TENANT, "--grant", "data:editor")
    assert made.returncode == 0, made.stderr
    receiver = Server(tmp_path / "receiver", "--auth-file", str(auth))
    batch = backend == "neo4j"  # one request per event on one backend, a batch route on the other
    route = "openlineage/batch" if batch else "openlineage/lineage"
    flags = [*serve_flags, "--forward-url", f"{receiver.url}{BASE}/{route}", *(["--forward-batch"] if batch else [])]
    with Server(tmp_path / "data", *flags, env={"LINEAGE_FORWARD_TOKEN": made.stdout.strip()}) as sender:
        bodies = [execution(n) for n in range(20)] + [execution(20, namespace="secret")]
        record(sender.url, bodies)  # the receiver is not up yet
        status = wait_for(lambda: outbox(sender.url)["sinks"][0]["lastError"] and outbox(sender.url), "an error")
        assert status["sinks"][0]["backlog"] == 42 and "could not reach" in status["sinks"][0]["lastError"]
        with receiver:
            status = wait_for(
                lambda: (s := outbox(sender.url))["sinks"][0]["backlog"] == 0 and s, "the backlog to drain"
            )
            parked = status["parked"]
            assert {p["event"]["job"]["namespace"] for p in parked} == {"secret"} and len(parked) == 2
            assert all("403" in p["reason"] for p in parked) and status["sinks"][0]["parked"] == 2
            headers = {"Authorization": f"Bearer {made.stdout.strip()}"}
            for asset, direction in (("raw.t3", "impact"), ("mart.t2", "upstream")):
                path = f"{BASE}/assets/{asset}/{direction}"
                sent = httpx.get(sender.url + path, timeout=REQUEST_TIMEOUT).json()
                got = httpx.get(receiver.url + path, timeout=REQUEST_TIMEOUT, headers=headers).json()
                assert summary(sent) and summary(got) == summary(sent), (asset, direction)


def summary(answer: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted((a["id"], a["distance"]) for a in answer["results"])


def test_two_api_processes_on_one_neo4j_publish_each_event_once(
    tmp_path: Path, fresh_neo4j: Any, kafka: KafkaServer
) -> None:
    """Both processes run the sink; the lease makes one deliver at a time, from the one cursor."""
    from tests.conftest import neo4j_flags

    topic = f"openlineage-{uuid.uuid4().hex[:8]}"
    flags = [*neo4j_flags(fresh_neo4j), "--kafka-bootstrap", kafka.bootstrap, "--kafka-topic", topic]
    with Server(tmp_path / "a", *flags) as first, Server(tmp_path / "b", *flags) as second:
        with ThreadPoolExecutor(2) as pool:
            list(
                pool.map(
                    lambda half: record(half[0], half[1]),
                    [
                        (first.url, [execution(n) for n in range(0, 150)]),
                        (second.url, [execution(n) for n in range(150, 300)]),
                    ],
                )
            )
        messages = consume(kafka.bootstrap, topic, until=600)
        wait_for(lambda: outbox(first.url)["sinks"][0]["backlog"] == 0, "the backlog to drain")
        published = topic_size(kafka.bootstrap, topic)
    assert len(messages) == len({canonical(e) for _, e in messages}) == 600
    assert published == 600  # the topic holds each event once: no process published one the other had


def topic_size(bootstrap: str, topic: str) -> int:
    """How many messages the topic holds (its partitions' offsets: no waiting for what might still come)."""
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"size-{uuid.uuid4().hex[:8]}"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        marks = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in partitions]
        return sum(high - low for low, high in marks)
    finally:
        consumer.close()
