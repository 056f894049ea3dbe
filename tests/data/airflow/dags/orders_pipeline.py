"""A DAG for the live producer tests (tests/e2e/test_producers.py), run with `airflow dags test` and the OpenLineage
provider: tasks declare their datasets as OpenLineage `Dataset` inlets and outlets (the form the provider turns into
a run's inputs and outputs; `airflow.sdk.Asset` inlets gave none), and one task fails when FAIL_TASK is set."""

import os

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG
from openlineage.client.event_v2 import Dataset

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
    extract >> load >> publish
