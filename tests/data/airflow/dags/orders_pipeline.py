"""A DAG for the live producer tests (tests/e2e/test_producers.py), run with `airflow dags test` and the OpenLineage
provider: tasks declare their datasets as OpenLineage `Dataset` inlets and outlets (the form the provider turns into
a run's inputs and outputs; `airflow.sdk.Asset` inlets gave none), one SQL task whose lineage the provider extracts
from its SQL, and one task that fails when FAIL_TASK is set. The SQL runs on SQLite (connection `warehouse`, a file
the test creates): the sqlite provider's hook tells OpenLineage nothing about its database, so the DAG gives it the
three answers the Postgres or Snowflake hooks give out of the box."""

import os

import pendulum
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.providers.openlineage.sqlparser import DatabaseInfo
from airflow.providers.sqlite.hooks.sqlite import SqliteHook
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG
from openlineage.client.event_v2 import Dataset


class WarehouseHook(SqliteHook):
    def get_openlineage_database_info(self, connection: object) -> DatabaseInfo:
        return DatabaseInfo(scheme="sqlite", authority="localhost", database="warehouse")

    def get_openlineage_default_schema(self) -> str:
        return "main"


class WarehouseQuery(SQLExecuteQueryOperator):
    def get_db_hook(self) -> WarehouseHook:
        return WarehouseHook(sqlite_conn_id=self.conn_id)


raw = Dataset(namespace="postgres://db:5432", name="public.raw_orders")
staged = Dataset(namespace="s3://lake", name="staging/orders.parquet")
orders = Dataset(namespace="postgres://db:5432", name="public.orders")
report = Dataset(namespace="s3://lake", name="reports/orders_daily.csv")

with DAG("orders_pipeline", start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), schedule=None, catchup=False):
    extract = BashOperator(task_id="extract", bash_command="echo extract", inlets=[raw], outlets=[staged])
    load = BashOperator(task_id="load", bash_command="echo load", inlets=[staged], outlets=[orders])
    publish = BashOperator(
        task_id="publish",
        bash_command="exit 1" if os.environ.get("FAIL_TASK") == "publish" else "echo publish",
        inlets=[orders],
        outlets=[report],
    )
    daily_totals = WarehouseQuery(
        task_id="daily_totals",
        conn_id="warehouse",
        sql="INSERT INTO daily_totals (order_date, total) "
        "SELECT o.order_date AS order_date, SUM(o.amount) AS total FROM orders o "
        "JOIN customers c ON o.customer_id = c.id WHERE c.country = 'NL' GROUP BY o.order_date",
    )
    # The SQL task runs last: `airflow dags test` runs every task in one process, where the provider's hook-lineage
    # collector is not reset between tasks, so a task after it would re-send its queries under its own name
    # ("orders_pipeline.publish.query.1"); a worker runs each task in a process of its own.
    extract >> load >> publish >> daily_totals
