"""The package as users install it: a wheel (`pip install .`, not editable) built from this tree, installed into a
clean virtualenv outside the clone, serves and answers lineage on both backends (the query files travel in it)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import Server
from tests.e2e.venvs import virtualenv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A virtualenv outside the clone with the wheel of this tree installed (and its dependencies from PyPI)."""
    where = tmp_path_factory.mktemp("wheel")
    wheels = where / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("lineage-*.whl")
    yield virtualenv(where / "venv", str(wheel))


def test_the_wheel_carries_the_query_files(installed: Path) -> None:
    found = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import app.store.queries as q; print(q.CYPHER_DIR)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed.parent,
        timeout=60,
    ).stdout.strip()
    assert str(ROOT) not in found and "site-packages" in found
    assert (Path(found) / "ladybug" / "schema.cypher").is_file() and (Path(found) / "neo4j" / "schema.cypher").is_file()


def test_the_installed_service_serves(installed: Path, tmp_path: Path, serve_flags: list[str]) -> None:
    env = {**os.environ, "PATH": f"{installed / 'bin'}:{os.environ.get('PATH', '')}"}
    server = Server(tmp_path / "data", *serve_flags, env=env)
    server.command, server.cwd = [str(installed / "bin" / "lineage"), "serve"], tmp_path
    with server:
        api = httpx.Client(base_url=f"{server.url}/api/v1/main", timeout=30)
        run = {
            "namespace": "company.team",
            "flowId": "etl",
            "taskRuns": [{"taskId": "load", "assets": {"inputs": [{"id": "src"}], "outputs": [{"id": "dst"}]}}],
        }
        assert api.post("/executions", json=run).status_code == 201
        impact = api.get("/assets/src/impact").json()
        assert [a["id"] for a in impact["results"]] == ["dst"]
        expression = api.post("/expressions", json={"expression": "{{ assets() | jq('.[].id') }}"})
        assert sorted(expression.json()["value"]) == ["dst", "src"]  # the sandbox's workers start from the wheel too
