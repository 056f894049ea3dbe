"""The test harness itself: where no Neo4j can run, Neo4j cases skip and say why, unless CI requires Neo4j
(`LINEAGE_REQUIRE_NEO4J=1`, set by .ci/run), where the same case fails. Run as a user would, in a pytest of its
own whose PATH has no java, mvn or docker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import neo4j_server

ROOT = Path(__file__).resolve().parents[2]
CASE = "tests/contract/test_assets.py::test_tenants_do_not_see_each_other[neo4j]"


def run_without_neo4j(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_", "DOCKER_"))}
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", CASE],
        cwd=ROOT,
        env={**base, "PATH": str(empty), "DOCKER_HOST": "unix:///nonexistent", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_java_or_maven_neo4j_cases_skip_and_say_why(tmp_path: Path) -> None:
    done = run_without_neo4j(tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout
    assert "Java (java) is not on PATH" in done.stdout and "no Docker engine answers" in done.stdout


def test_ci_turns_that_skip_into_a_failure(tmp_path: Path) -> None:
    done = run_without_neo4j(tmp_path, LINEAGE_REQUIRE_NEO4J="1")
    assert done.returncode == 1, done.stdout[-2000:]
    assert "LINEAGE_REQUIRE_NEO4J=1: Neo4j must run" in done.stdout and "1 error" in done.stdout
    assert "skipped" not in done.stdout


def test_unavailable_names_what_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(neo4j_server.Unavailable, match="Java"), neo4j_server.running():
        pass
    with pytest.raises(neo4j_server.Unavailable, match="Maven"):
        neo4j_server.classpath()
