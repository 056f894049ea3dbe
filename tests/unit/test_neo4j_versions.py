"""The test Neo4j (Maven Central) and compose.yaml's image are the same Neo4j: what CI tests is what
`docker compose up` runs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.neo4j_server import pinned_version

ROOT = Path(__file__).resolve().parents[2]


def test_compose_image_is_the_tested_neo4j() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    image = compose["services"]["neo4j"]["image"]
    version = pinned_version()
    assert version.startswith("5.26."), f"the test Neo4j must be the 5.26 LTS line, not {version}"
    assert image == f"neo4j:{version}-community", f"compose.yaml runs {image}, the tests run Neo4j {version}"


def test_compose_tunes_neo4j_as_the_tests_do() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    launcher = (ROOT / "tests" / "neo4j_server" / "Launcher.java").read_text(encoding="utf-8")
    threshold = re.search(r"dense_node_threshold, (\d+)\)", launcher)
    assert threshold, "Launcher.java no longer sets the relationship grouping threshold"
    env = compose["services"]["neo4j"]["environment"]
    assert env["NEO4J_db_relationship__grouping__threshold"] == threshold.group(1)
    sizes = re.search(r"cypher_size_hint_parameters, (true|false)\)", launcher)
    assert sizes, "Launcher.java no longer says whether plans depend on parameter sizes"
    assert env["NEO4J_internal_cypher_use__parameter__size"] == sizes.group(1)


def test_compose_kafka_is_the_tested_kafka() -> None:
    from tests.kafka_server import pinned_version as kafka_version

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:{kafka_version()}" and kafka["profiles"] == ["kafka"]
    assert kafka_version().startswith("4."), "the test Kafka must be a 4.x broker (KRaft, no ZooKeeper)"
