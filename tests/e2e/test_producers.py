"""Live producers: dbt with openlineage-dbt, pyspark with the OpenLineage Spark listener and Airflow with its
OpenLineage provider run in virtualenvs of their own, created here, and send over HTTP, gzip on, with an API key,
to two real `lineage serve`s at once, one on each backend: each producer runs once, with OpenLineage's composite
transport (an HTTP transport per service, as a team sending to two backends configures it). What the producer's
own record says (dbt's manifest, the job's output paths, the DAG) is what both services answer."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.auth import check_grant, create_token
from tests import neo4j_server as test_neo4j
from tests.e2e.server import Server
from tests.e2e.venvs import virtualenv

DATA = Path(__file__).resolve().parents[1] / "data" / "dbt" / "jaffle"
#: dbt-core 1.12 downloads a wheel from GitHub at install, which this machine cannot reach; these install from PyPI
DBT = ("dbt-core==1.11.16", "dbt-duckdb==1.11.1", "openlineage-dbt==1.54.0")
TIMEOUT = 30.0


@pytest.fixture(scope="session")
def dbt_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt, dbt-duckdb and openlineage-dbt in a virtualenv of their own: their dependencies never meet ours."""
    return virtualenv(tmp_path_factory.mktemp("dbt") / "venv", *DBT)


class Dbt:
    """A copy of the jaffle project, its DuckDB file, and `dbt-ol` pointed at a service."""

    def __init__(self, venv: Path, root: Path, services: Services) -> None:
        self.venv, self.project, self.duckdb = venv, root / "jaffle", root / "jaffle.duckdb"
        shutil.copytree(DATA, self.project)
        (self.project / "openlineage.yml").write_text(json.dumps({"transport": services.transport()}))

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
    def __init__(self, backend: str, server: Server, admin: str) -> None:
        self.backend, self.server, self.admin = backend, server, admin

    def get(self, path: str, **params: object) -> dict:
        r = httpx.get(
            f"{self.server.url}/api/v1/main{path}",
            params=params,
            headers={"Authorization": f"Bearer {self.admin}"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 200, (self.backend, path, r.text)
        return r.json()  # type: ignore[no-any-return]

    def reached(self, asset: str, kind: str) -> set[str]:
        page = self.get(f"/assets/{asset.replace('/', '%2F')}/{kind}", size=1000)
        return {a["id"] for a in page["results"]}


class Services(list[Service]):
    """A `lineage serve` on each backend, with the same tokens: the producer's (an editor grant on the job
    namespace it sends) and an admin's, for reading the answers."""

    def __init__(self, services: list[Service], token: str) -> None:
        super().__init__(services)
        self.token = token

    def transport(self) -> dict[str, object]:
        """openlineage-python's configuration: one HTTP transport per service, every event to each."""
        http = {"type": "http", "endpoint": "api/v1/lineage", "compression": "gzip", "timeout": TIMEOUT}
        auth = {"type": "api_key", "apiKey": self.token}
        return {
            "type": "composite",
            "transports": {s.backend: {**http, "url": s.server.url, "auth": auth} for s in self},
        }


@contextmanager
def secured_services(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> Iterator[Services]:
    from tests.conftest import neo4j_flags

    auth = tmp_path / "auth.yaml"
    token = create_token(auth, tenant="main", grants=[check_grant(f"{namespace}:editor")], name="producer")
    admin = create_token(auth, tenant="main", grants=[], admin=True, name="admin")
    flags = ["--auth-file", str(auth), "--require-auth"]
    neo4j = request.getfixturevalue("neo4j_server")
    test_neo4j.wipe(neo4j)  # tenant `main` is fixed here: start from an empty database
    with (
        Server(tmp_path / "data", *flags) as ladybug,
        Server(tmp_path / "unused", *flags, *neo4j_flags(neo4j)) as on_neo4j,
    ):
        yield Services([Service("ladybug", ladybug, admin), Service("neo4j", on_neo4j, admin)], token)


@pytest.fixture
def services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    with secured_services(request, tmp_path, "dbt") as services:
        yield services


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


def test_dbt_structured_logs_follow_the_manifest(dbt_venv: Path, services: Services, tmp_path: Path) -> None:
    dbt = Dbt(dbt_venv, tmp_path, services)
    done = dbt.build("--consume-structured-logs")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assets, edges = dbt.manifest()
    for service in services:
        listed = {a["id"] for a in service.get("/assets", size=1000)["results"]}
        assert set(assets.values()) <= listed, service.backend  # every seed and model is an asset
        for asset in assets.values():
            for kind, upstream in (("upstream", True), ("impact", False)):
                answered = service.reached(asset, kind) & set(assets.values())  # tests' audit tables are extra
                assert answered == bfs(edges, asset, upstream), (service.backend, asset, kind)
        customers = service.get(f"/assets/{assets['model.jaffle.customers'].replace('/', '%2F')}/columns")
        assert {c["name"] for c in customers["columns"]} >= {"customer_id", "number_of_orders"}
        # every model run is a child of the dbt invocation's run
        usages = service.get("/assets/usages/search", size=1000)["results"]
        runs = {u["executionId"] for u in usages if u["flowId"].startswith("model.")}
        parents = {service.get(f"/openlineage/runs/{run}")["parent"]["runId"] for run in runs}
        assert len(runs) == 6 and len(parents) == 1, service.backend


def test_dbt_default_mode_sends_column_lineage_without_ctes(dbt_venv: Path, services: Services, tmp_path: Path) -> None:
    dbt = Dbt(dbt_venv, tmp_path, services)
    done = dbt.build()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assets, _ = dbt.manifest()
    names = assets["model.jaffle.customer_names"].replace("/", "%2F")
    stg = assets["model.jaffle.stg_customers"]
    customers = assets["model.jaffle.customers"].replace("/", "%2F")
    for service in services:
        listed = {a["id"] for a in service.get("/assets", size=1000)["results"]}
        assert not [a for a in listed if a.rsplit(".", 1)[-1] in ("source", "renamed", "orders_cte", "customer_orders")]
        # a model without CTEs: its columns derive from the table's
        upstream = service.get(f"/assets/{names}/columns/full_name/upstream")
        sources = {(i["assetId"], i["column"]) for i in upstream["items"]}
        assert sources == {(stg, "first_name"), (stg, "last_name")}, (service.backend, sources)
        # a model built from CTEs: dbt-ol names the CTEs, which are no tables, so no column edge is recorded for it
        assert service.get(f"/assets/{customers}/columns/customer_id/upstream")["items"] == []


def test_a_failing_model_is_a_failed_run_and_its_last_good_lineage_stays(
    dbt_venv: Path, services: Services, tmp_path: Path
) -> None:
    dbt = Dbt(dbt_venv, tmp_path, services)
    assert dbt.build("--consume-structured-logs").returncode == 0
    assets, _ = dbt.manifest()
    payments = assets["model.jaffle.stg_payments"]
    before = [service.reached(payments, "upstream") for service in services]
    sql = dbt.project / "models" / "staging" / "stg_payments.sql"
    sql.write_text(sql.read_text().replace("amount / 100 as amount", "no_such_column as amount"))
    failed = dbt.build("--consume-structured-logs")
    assert failed.returncode != 0
    for service, was in zip(services, before, strict=True):
        usages = service.get(f"/assets/{payments.replace('/', '%2F')}/usages", size=100)["results"]
        states = {u["state"] for u in usages if u["relation"] == "WROTE"}
        assert "FAILED" in states and "SUCCESS" in states, (service.backend, usages)
        assert service.reached(payments, "upstream") == was == {assets["seed.jaffle.raw_payments"]}


# -- Spark ----------------------------------------------------------------------------------------------------------

SPARK = ("pyspark==3.5.6",)
#: the OpenLineage Spark listener for pyspark 3.5's Scala 2.12, one jar with no dependencies, from Maven Central
LISTENER = "io.openlineage:openlineage-spark_2.12:1.27.0"
SPARK_JOB = Path(__file__).resolve().parents[1] / "data" / "spark" / "orders_job.py"


@pytest.fixture(scope="session")
def spark_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """pyspark in a virtualenv of its own, and the listener's jar (Maven resolves it into ~/.m2 once)."""
    root = tmp_path_factory.mktemp("spark")
    virtualenv(root / "venv", *SPARK)
    mvn = shutil.which("mvn")
    assert mvn, "Maven is needed for the OpenLineage Spark listener (.ci/run installs it)"
    with test_neo4j.maven_alone():
        subprocess.run(
            [mvn, "-q", "-B", "dependency:copy", f"-Dartifact={LISTENER}", f"-DoutputDirectory={root / 'jars'}"],
            check=True,
            timeout=600,
        )
    (jar,) = (root / "jars").glob("openlineage-spark_*.jar")
    return root / "venv", jar


def spark_job(venv: Path, jar: Path, work: Path, services: Services, *flags: str) -> subprocess.CompletedProcess[str]:
    conf = {
        "spark.extraListeners": "io.openlineage.spark.agent.OpenLineageSparkListener",
        "spark.openlineage.transport.type": "composite",
        "spark.openlineage.transport.withThreadPool": "false",  # each event sent before the job goes on
        "spark.openlineage.namespace": "spark_jobs",
        "spark.ui.enabled": "false",
    }
    for service in services:
        transport = f"spark.openlineage.transport.transports.{service.backend}"
        conf |= {
            f"{transport}.type": "http",
            f"{transport}.url": service.server.url,
            f"{transport}.endpoint": "/api/v1/lineage",
            f"{transport}.compression": "gzip",
            f"{transport}.timeoutInMillis": str(int(TIMEOUT * 1000)),
            f"{transport}.auth.type": "api_key",
            f"{transport}.auth.apiKey": services.token,
        }
    submit = [
        "--master",
        "local[1]",
        "--jars",
        str(jar),
        "--driver-java-options",
        "--add-opens=java.base/java.security=ALL-UNNAMED",
    ]
    submit += [a for k, v in conf.items() for a in ("--conf", f"{k}={v}")]
    env = {**os.environ, "PYSPARK_SUBMIT_ARGS": " ".join([*submit, "pyspark-shell"]), "SPARK_LOCAL_IP": "127.0.0.1"}
    return subprocess.run(
        [str(venv / "bin" / "python"), str(SPARK_JOB), str(work), *flags],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def spark_services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    with secured_services(request, tmp_path, "spark_jobs") as services:
        yield services


def test_spark_join_filter_aggregate(spark_venv: tuple[Path, Path], spark_services: Services, tmp_path: Path) -> None:
    venv, jar = spark_venv
    work = tmp_path / "work"
    done = spark_job(venv, jar, work, spark_services)
    assert done.returncode == 0, done.stderr[-3000:]
    totals, customers, orders = (
        f"file/{work}/{name}" for name in ("totals_parquet", "customers_csv", "orders_parquet")
    )
    for service in spark_services:
        assert service.reached(totals, "upstream") >= {customers, orders}  # named as Spark names them: file, path
        asset = service.get(f"/assets/{totals.replace('/', '%2F')}")
        assert asset["metadata"] == {"openlineage.namespace": "file", "openlineage.name": str(work / "totals_parquet")}
        column = service.get(f"/assets/{totals.replace('/', '%2F')}/columns/total/upstream")
        hops = {(i["assetId"], i["column"]): i["route"][-1]["transformations"] for i in column["items"]}
        assert hops[(orders, "amount")] == ["DIRECT/AGGREGATION"], service.backend
        assert "INDIRECT/JOIN" in hops[(orders, "customer_id")] and "INDIRECT/JOIN" in hops[(customers, "id")]
        assert "INDIRECT/FILTER" in hops[(customers, "country")]
        # the write's run is a child of the application's run
        usages = service.get(f"/assets/{totals.replace('/', '%2F')}/usages")["results"]
        writes = [u for u in usages if u["relation"] == "WROTE"]
        run = service.get(f"/openlineage/runs/{writes[0]['executionId']}")
        assert run["parent"]["jobName"] == "orders_by_customer"
        application = service.get(f"/openlineage/runs/{run['parent']['runId']}")
        assert application["state"] == "COMPLETE"
        assert writes[0]["executionId"] in {c["runId"] for c in application["children"]}


def test_a_failing_spark_job_is_recorded_as_its_producer_reports_it(
    spark_venv: tuple[Path, Path], spark_services: Services, tmp_path: Path
) -> None:
    """openlineage-spark 1.27.0 ends a write whose tasks fail with COMPLETE and no errorMessage facet (checked here):
    the service records what the producer says, every event accepted."""
    venv, jar = spark_venv
    work = tmp_path / "work"
    failed = spark_job(venv, jar, work, spark_services, "--fail")
    assert failed.returncode != 0 and "ZeroDivisionError" in failed.stderr
    totals = f"file/{work}/totals_parquet"
    for service in spark_services:
        usages = service.get(f"/assets/{totals.replace('/', '%2F')}/usages")["results"]
        assert len([u for u in usages if u["relation"] == "WROTE"]) == 1, service.backend


# -- Airflow --------------------------------------------------------------------------------------------------------

AIRFLOW = (
    "apache-airflow==3.1.8",
    "apache-airflow-providers-openlineage==2.20.3",
    "apache-airflow-providers-sqlite==4.3.4",
)
DAGS = Path(__file__).resolve().parents[1] / "data" / "airflow" / "dags"
WAREHOUSE = """
CREATE TABLE IF NOT EXISTS orders (order_id INTEGER, customer_id INTEGER, order_date TEXT, amount REAL);
CREATE TABLE IF NOT EXISTS customers (id INTEGER, country TEXT);
CREATE TABLE IF NOT EXISTS daily_totals (order_date TEXT, total REAL);
"""


@pytest.fixture(scope="session")
def airflow_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Airflow, and its metadata database migrated once (`metadata`): each test's home starts from a copy."""
    venv = virtualenv(tmp_path_factory.mktemp("airflow") / "venv", *AIRFLOW)
    template = metadata(venv).parent
    template.mkdir()
    env = {**os.environ, "AIRFLOW_HOME": str(template), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    subprocess.run(
        [str(venv / "bin" / "airflow"), "db", "migrate"], env=env, check=True, capture_output=True, timeout=300
    )
    return venv


def metadata(venv: Path) -> Path:
    return venv.parent / "metadata" / "airflow.db"


def dags_test(venv: Path, home: Path, services: Services, **env: str) -> subprocess.CompletedProcess[str]:
    """`airflow dags test` in process (no scheduler; SQLite metadata in `home`), the provider sending to both."""
    home.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(home / "warehouse.db") as warehouse:  # the tables the SQL task reads and writes
        warehouse.executescript(WAREHOUSE)
    full = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW_CONN_WAREHOUSE": json.dumps({"conn_type": "sqlite", "host": str(home / "warehouse.db")}),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(services.transport()),
        "AIRFLOW__OPENLINEAGE__NAMESPACE": "airflow_prod",
        **env,
    }
    if not (home / "airflow.db").exists():  # a second run in the same home keeps its history
        shutil.copyfile(metadata(venv), home / "airflow.db")
    return subprocess.run(
        [str(venv / "bin" / "airflow"), "dags", "test", "orders_pipeline"],
        env=full, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.fixture
def airflow_services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    with secured_services(request, tmp_path, "airflow_prod") as services:
        yield services


def test_an_airflow_dag_run(airflow_venv: Path, airflow_services: Services, tmp_path: Path) -> None:
    done = dags_test(airflow_venv, tmp_path / "home", airflow_services)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = "s3://lake/reports/orders_daily.csv"
    for service in airflow_services:
        upstream = {
            a["id"]: a["distance"] for a in service.get(f"/assets/{report.replace('/', '%2F')}/upstream")["results"]
        }
        assert upstream == {
            "postgres://db:5432/public.orders": 1,
            "s3://lake/staging/orders.parquet": 2,
            "postgres://db:5432/public.raw_orders": 3,
        }, service.backend
        usages = service.get("/assets/usages/search", size=100)["results"]
        runs = {u["executionId"]: u["flowId"] for u in usages}
        assert sorted(runs.values()) == [
            "orders_pipeline.daily_totals",
            "orders_pipeline.extract",
            "orders_pipeline.load",
            "orders_pipeline.publish",
        ]
        parents = {service.get(f"/openlineage/runs/{run}")["parent"]["jobName"] for run in runs}
        assert parents == {"orders_pipeline"}  # the DAG run is every task run's parent
        assert {service.get(f"/executions/{run}")["state"] for run in runs} == {"SUCCESS"}


def test_an_airflow_sql_task_lineage_extracted_from_its_sql(
    airflow_venv: Path, airflow_services: Services, tmp_path: Path
) -> None:
    """The provider parses the SQL task's statement: the tables it reads and writes, and which column feeds which."""
    done = dags_test(airflow_venv, tmp_path / "home", airflow_services)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    totals, orders, customers = (
        f"sqlite://localhost/warehouse.main.{table}" for table in ("daily_totals", "orders", "customers")
    )
    for service in airflow_services:
        assert service.reached(totals, "upstream") == {orders, customers}, service.backend
        column = service.get(f"/assets/{totals.replace('/', '%2F')}/columns/total/upstream")
        assert {(i["assetId"], i["column"]) for i in column["items"]} == {(orders, "amount")}
        usages = service.get(f"/assets/{totals.replace('/', '%2F')}/usages")["results"]
        assert [(u["flowId"], u["relation"], u["current"]) for u in usages] == [
            ("orders_pipeline.daily_totals", "WROTE", True)
        ]


def test_a_failing_airflow_task_is_a_failed_run(airflow_venv: Path, airflow_services: Services, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert dags_test(airflow_venv, home, airflow_services).returncode == 0
    failed = dags_test(airflow_venv, home, airflow_services, FAIL_TASK="publish")
    assert failed.returncode != 0 or "failed" in (failed.stdout + failed.stderr).lower()
    report = "s3://lake/reports/orders_daily.csv".replace("/", "%2F")
    for service in airflow_services:
        usages = service.get(f"/assets/{report}/usages")["results"]
        assert {u["state"] for u in usages} == {"SUCCESS", "FAILED"}, (service.backend, usages)
        # the failed run is history: the last good run's lineage stays current
        current = [u for u in usages if u["current"]]
        assert [u["state"] for u in current] == ["SUCCESS"]


def test_dbt_test_results_are_on_the_assets_they_test(dbt_venv: Path, services: Services, tmp_path: Path) -> None:
    """Which tests ran on a table, passed or failed, and when: through the API and the CLI (a table can read as
    fresh while its tests fail)."""
    dbt = Dbt(dbt_venv, tmp_path, services)
    assert dbt.build("--consume-structured-logs").returncode == 0
    assets, _ = dbt.manifest()
    orders = assets["model.jaffle.stg_orders"].replace("/", "%2F")
    for service in services:
        checks = service.get(f"/assets/{orders}/checks")
        assert {(c["assertion"], c["column"], c["success"]) for c in checks["latest"]} == {
            ("unique", "order_id", True),
            ("not_null", "order_id", True),
            ("accepted_values", "status", True),
        }, service.backend
    seed = dbt.project / "seeds" / "raw_orders.csv"
    seed.write_text(seed.read_text() + "6,2,2018-01-06,lost\n")  # a status the test does not accept
    assert dbt.build("--consume-structured-logs").returncode != 0
    for service in services:
        checks = service.get(f"/assets/{orders}/checks")
        latest = {(c["assertion"], c["column"]): c["success"] for c in checks["latest"]}
        assert latest[("accepted_values", "status")] is False and checks["failing"] == 1, service.backend
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "assets",
                "checks",
                assets["model.jaffle.stg_orders"],
                "--server",
                service.server.url,
                "--token",
                service.admin,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 1 and "accepted_values" in cli.stdout and "FAIL" in cli.stdout, cli.stdout + cli.stderr
