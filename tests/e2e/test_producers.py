"""Live producers (issue 23): dbt with openlineage-dbt runs in a virtualenv of its own, created here, and sends to a
real `lineage serve` over HTTP, gzip on, with an API key, on both backends. What dbt's own manifest says is what the
service answers. (Spark and Airflow are not in the suite yet: see the issue.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.auth import check_grant, create_token
from tests import neo4j_server as test_neo4j
from tests.e2e.server import Server

DATA = Path(__file__).resolve().parents[1] / "data" / "dbt" / "jaffle"
#: dbt-core 1.12 downloads a wheel from GitHub at install, which this machine cannot reach; these install from PyPI
DBT = ("dbt-core==1.11.16", "dbt-duckdb==1.11.1", "openlineage-dbt==1.54.0")
TIMEOUT = 30.0


@pytest.fixture(scope="session")
def dbt_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt, dbt-duckdb and openlineage-dbt in a virtualenv of their own: their dependencies never meet ours."""
    venv = tmp_path_factory.mktemp("dbt") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *DBT], check=True, timeout=900)
    return venv


class Dbt:
    """A copy of the jaffle project, its DuckDB file, and `dbt-ol` pointed at a service."""

    def __init__(self, venv: Path, root: Path, url: str, token: str) -> None:
        self.venv, self.project, self.duckdb = venv, root / "jaffle", root / "jaffle.duckdb"
        shutil.copytree(DATA, self.project)
        (self.project / "openlineage.yml").write_text(
            "transport:\n  type: http\n"
            f"  url: {url}\n  endpoint: api/v1/lineage\n  compression: gzip\n"
            f"  auth:\n    type: api_key\n    apiKey: {token}\n"
        )

    def build(self, *flags: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "PATH": f"{self.venv / 'bin'}:{os.environ['PATH']}",
            "JAFFLE_DUCKDB": str(self.duckdb),
            "OPENLINEAGE_CONFIG": str(self.project / "openlineage.yml"),
            "OPENLINEAGE_NAMESPACE": "dbt",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        return subprocess.run(
            [str(self.venv / "bin" / "dbt-ol"), "build", *flags, "--profiles-dir", "."],
            cwd=self.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def asset(self, node: dict) -> str:
        """The asset a manifest node is: the dataset dbt-ol names (`duckdb://<file>` / `<db>.<schema>.<alias>`)."""
        return f"duckdb://{self.duckdb}/{node['database']}.{node['schema']}.{node.get('alias') or node['name']}"

    def manifest(self) -> tuple[dict[str, str], set[tuple[str, str]]]:
        """Seeds and models as assets, and the edges dbt's own manifest gives between them."""
        nodes = json.loads((self.project / "target" / "manifest.json").read_text())["nodes"]
        kept = {uid: self.asset(n) for uid, n in nodes.items() if n["resource_type"] in ("seed", "model")}
        edges = {
            (kept[p], kept[uid]) for uid in kept for p in nodes[uid].get("depends_on", {}).get("nodes", []) if p in kept
        }
        return kept, edges


class Service:
    def __init__(self, server: Server, token: str, admin: str) -> None:
        self.server, self.token, self.admin = server, token, admin

    def get(self, path: str, **params: object) -> dict:
        r = httpx.get(
            f"{self.server.url}/api/v1/main{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.admin}"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 200, (path, r.text)
        return r.json()  # type: ignore[no-any-return]

    def reached(self, asset: str, kind: str) -> set[str]:
        page = self.get(f"/assets/{asset.replace('/', '%2F')}/{kind}", size=1000)
        return {a["id"] for a in page["results"]}


@pytest.fixture(params=["ladybug", "neo4j"])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    from tests.conftest import neo4j_flags

    auth = tmp_path / "auth.yaml"
    token = create_token(auth, tenant="main", grants=[check_grant("dbt:editor")], name="dbt-ol")
    admin = create_token(auth, tenant="main", grants=[], admin=True, name="admin")
    flags = ["--auth-file", str(auth), "--require-auth"]
    if request.param == "neo4j":  # tenant `main` is fixed here: start from an empty database
        neo4j = request.getfixturevalue("neo4j_server")
        test_neo4j.wipe(neo4j)
        flags += neo4j_flags(neo4j)
    with Server(tmp_path / "data", *flags) as server:
        yield Service(server, token, admin)


def bfs(edges: set[tuple[str, str]], start: str, upstream: bool) -> set[str]:
    step: dict[str, list[str]] = {}
    for a, b in edges:
        step.setdefault(b if upstream else a, []).append(a if upstream else b)
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in step.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen - {start}


def test_dbt_structured_logs_follow_the_manifest(dbt_venv: Path, service: Service, tmp_path: Path) -> None:
    dbt = Dbt(dbt_venv, tmp_path, service.server.url, service.token)
    done = dbt.build("--consume-structured-logs")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assets, edges = dbt.manifest()
    listed = {a["id"] for a in service.get("/assets", size=1000)["results"]}
    assert set(assets.values()) <= listed  # every seed and model is an asset
    for asset in assets.values():
        for kind, upstream in (("upstream", True), ("impact", False)):
            answered = service.reached(asset, kind) & set(assets.values())  # tests' audit tables are extra
            assert answered == bfs(edges, asset, upstream), (asset, kind)
    customers = service.get(f"/assets/{assets['model.jaffle.customers'].replace('/', '%2F')}/columns")
    assert {c["name"] for c in customers["columns"]} >= {"customer_id", "number_of_orders"}
    # every model run is a child of the dbt invocation's run
    usages = service.get("/assets/usages/search", size=1000)["results"]
    runs = {u["executionId"] for u in usages if u["flowId"].startswith("model.")}
    parents = {service.get(f"/openlineage/runs/{run}")["parent"]["runId"] for run in runs}
    assert len(runs) == 6 and len(parents) == 1


def test_dbt_default_mode_sends_column_lineage_without_ctes(dbt_venv: Path, service: Service, tmp_path: Path) -> None:
    dbt = Dbt(dbt_venv, tmp_path, service.server.url, service.token)
    done = dbt.build()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assets, _ = dbt.manifest()
    listed = {a["id"] for a in service.get("/assets", size=1000)["results"]}
    assert not [a for a in listed if a.rsplit(".", 1)[-1] in ("source", "renamed", "orders_cte", "customer_orders")]
    # a model without CTEs: its columns derive from the table's
    names = assets["model.jaffle.customer_names"].replace("/", "%2F")
    upstream = service.get(f"/assets/{names}/columns/full_name/upstream")
    sources = {(i["assetId"], i["column"]) for i in upstream["items"]}
    stg = assets["model.jaffle.stg_customers"]
    assert sources == {(stg, "first_name"), (stg, "last_name")}, sources
    # a model built from CTEs: dbt-ol names the CTEs, which are no tables, so no column edge is recorded for it
    customers = assets["model.jaffle.customers"].replace("/", "%2F")
    assert service.get(f"/assets/{customers}/columns/customer_id/upstream")["items"] == []


def test_a_failing_model_is_a_failed_run_and_its_last_good_lineage_stays(
    dbt_venv: Path, service: Service, tmp_path: Path
) -> None:
    dbt = Dbt(dbt_venv, tmp_path, service.server.url, service.token)
    assert dbt.build("--consume-structured-logs").returncode == 0
    assets, _ = dbt.manifest()
    payments = assets["model.jaffle.stg_payments"]
    before = service.reached(payments, "upstream")
    sql = dbt.project / "models" / "staging" / "stg_payments.sql"
    sql.write_text(sql.read_text().replace("amount / 100 as amount", "no_such_column as amount"))
    failed = dbt.build("--consume-structured-logs")
    assert failed.returncode != 0
    usages = service.get(f"/assets/{payments.replace('/', '%2F')}/usages", size=100)["results"]
    states = {u["state"] for u in usages if u["relation"] == "WROTE"}
    assert "FAILED" in states and "SUCCESS" in states, usages
    assert service.reached(payments, "upstream") == before == {assets["seed.jaffle.raw_payments"]}
