"""The Kafka sink: every event to one topic, keyed by its run id (a run's events stay in order on one partition), the
value the event's JSON, as openlineage-python's Kafka transport writes them. confluent-kafka (librdkafka) with an
idempotent producer: its own retries keep a partition's order."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

import msgspec

from app.services.outbox import run_key
from app.sinks import Unreachable

log = logging.getLogger(__name__)

#: how long one page of events may wait for the brokers' acknowledgement
FLUSH_S = 20.0
#: how long to wait for a broker's answer before sending
PROBE_S = 3.0


def parse_config(text: str) -> dict[str, str]:
    """librdkafka settings (`security.protocol=SASL_SSL`, `sasl.mechanism=PLAIN`, ...) as `name=value` pairs
    separated by `;` or newlines."""
    out: dict[str, str] = {}
    for part in text.replace("\n", ";").split(";"):
        if part.strip():
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                raise ValueError(f"LINEAGE_KAFKA_CONFIG: {part.strip()!r} is not name=value")
            out[name.strip()] = value.strip()
    return out


class KafkaSink:
    name = "kafka"

    def __init__(self, bootstrap: str, topic: str, config: dict[str, str] | None = None) -> None:
        from confluent_kafka import Producer

        self.topic = topic
        self.producer = Producer(
            {
                "bootstrap.servers": bootstrap,
                "enable.idempotence": True,
                "acks": "all",
                "linger.ms": 5,
                "message.timeout.ms": int(FLUSH_S * 1000) - 5000,
                "logger": logging.getLogger("lineage.kafka"),
                **(config or {}),
            }
        )

    def send(self, events: list[msgspec.Raw]) -> dict[int, str]:
        try:  # a broker that does not answer is found in seconds, not after every event's delivery timeout
            self.producer.list_topics(self.topic, timeout=PROBE_S)
        except Exception as exc:
            raise Unreachable(f"Kafka: no broker answered ({type(exc).__name__})") from exc
        errors: list[str] = []

        def report(err: Any, _msg: Any) -> None:
            if err is not None:
                errors.append(str(err.name() if hasattr(err, "name") else err))

        for event in events:
            key, value = run_key(event).encode(), bytes(event)
            while True:
                try:
                    self.producer.produce(self.topic, key=key, value=value, on_delivery=report)
                    break
                except BufferError:  # the local queue is full: let it drain
                    self.producer.poll(0.5)
        left = self.producer.flush(FLUSH_S)
        if left or errors:
            first = errors[0] if errors else "no acknowledgement"
            raise Unreachable(f"Kafka: {left or len(errors)} of {len(events)} events not acknowledged ({first})")
        return {}

    def close(self) -> None:
        self.producer.flush(5)


class TopicReader:
    """Reading OpenLineage events back from a topic (`lineage import --kafka`), as a catalog's connector does."""

    def __init__(self, bootstrap: str, topic: str, group: str, config: dict[str, str] | None = None) -> None:
        from confluent_kafka import Consumer

        self.consumer = Consumer(
            {
                "bootstrap.servers": bootstrap,
                "group.id": group,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "logger": logging.getLogger("lineage.kafka"),
                **(config or {}),
            }
        )
        self.consumer.subscribe([topic])

    def batches(self, size: int, *, idle_s: float) -> Iterator[list[str]]:
        """The events as JSON texts, `size` at most at a time, until none arrived for `idle_s` seconds."""
        batch: list[str] = []
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < idle_s:
            message = self.consumer.poll(0.5)
            if message is None or message.error():
                if batch:
                    yield batch
                    batch = []
                continue
            quiet_since = time.monotonic()
            batch.append(message.value().decode("utf-8", errors="replace"))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def commit(self) -> None:
        """Keep the group's place: what was read so far is applied."""
        with contextlib.suppress(Exception):  # nothing consumed yet: nothing to commit
            self.consumer.commit(asynchronous=False)

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.consumer.close()
