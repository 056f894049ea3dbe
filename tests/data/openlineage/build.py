# ruff: noqa: E501 - transcribed event documents, kept as the sources lay them out
"""Build tests/data/openlineage/*.jsonl from the OpenLineage project's published producer events (see README)."""

import json
import uuid
from pathlib import Path

OUT = Path(__file__).resolve().parent
NS = uuid.UUID("2b7e1f0a-9c3d-4e5f-8a6b-1c2d3e4f5a6b")
SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
FACET_SCHEMA = "https://openlineage.io/spec/facets/1-0-0/{}.json#/$defs/{}"
NAMES = {
    "schema": "SchemaDatasetFacet",
    "dataSource": "DatasourceDatasetFacet",
    "columnLineage": "ColumnLineageDatasetFacet",
    "symlinks": "SymlinksDatasetFacet",
    "sql": "SQLJobFacet",
    "documentation": "DocumentationJobFacet",
    "parent": "ParentRunFacet",
    "jobType": "JobTypeJobFacet",
    "processing_engine": "ProcessingEngineRunFacet",
    "errorMessage": "ErrorMessageRunFacet",
    "outputStatistics": "OutputStatisticsOutputDatasetFacet",
}


def rid(*parts):
    return str(uuid.uuid5(NS, "/".join(parts)))


def facets(d, producer):
    for k, v in list(d.items()):
        if isinstance(v, dict):
            v.setdefault("_producer", producer)
            name = NAMES.get(k, "BaseFacet")
            v.setdefault("_schemaURL", FACET_SCHEMA.format(name, name) if k in NAMES else f"{producer}#/$defs/{k}")
    return d


def complete(e, source, producer, time, run_id):
    e.setdefault("eventTime", time)
    e.setdefault("producer", producer)
    e.setdefault("schemaURL", SPEC)
    e.setdefault("inputs", [])
    e.setdefault("outputs", [])
    e.setdefault("run", {}).setdefault("runId", run_id)
    facets(e["run"].setdefault("facets", {}), producer)
    facets(e["job"].setdefault("facets", {}), producer)
    for d in e["inputs"] + e["outputs"]:
        facets(d.setdefault("facets", {}), producer)
        for k in ("inputFacets", "outputFacets"):
            if k in d:
                facets(d[k], producer)
    return e


def write(name, events):
    (OUT / name).write_text("".join(json.dumps(e, sort_keys=True) + "\n" for e in events))


# --- Airflow: integration/airflow/tests/integration/requests/postgres.json ---------------------------------
AIRFLOW = "https://github.com/OpenLineage/OpenLineage/tree/0.0.1/integration/airflow"
pg_src = {"dataSource": {"name": "postgres://postgres:5432", "uri": "postgres://postgres:5432/food_delivery"}}
top = {
    "namespace": "postgres://postgres:5432",
    "name": "food_delivery.public.top_delivery_times",
    "facets": json.loads(json.dumps(pg_src)),
}
popular = {
    "namespace": "postgres://postgres:5432",
    "name": "food_delivery.public.popular_orders_day_of_week",
    "facets": {
        **json.loads(json.dumps(pg_src)),
        "schema": {
            "fields": [
                {"name": "order_day_of_week", "type": "varchar"},
                {"name": "order_placed_on", "type": "timestamp"},
                {"name": "orders_placed", "type": "int4"},
            ]
        },
    },
}
create_sql = "\n    CREATE TABLE IF NOT EXISTS popular_orders_day_of_week (\n      order_day_of_week VARCHAR(64) NOT NULL,\n      order_placed_on   TIMESTAMP NOT NULL,\n      orders_placed     INTEGER NOT NULL\n    );"
insert_sql = "\n    INSERT INTO popular_orders_day_of_week (order_day_of_week, order_placed_on,orders_placed)\n    SELECT EXTRACT(ISODOW FROM order_placed_on) AS order_day_of_week,\n           order_placed_on,\n           COUNT(*) AS orders_placed\n      FROM top_delivery_times\n     GROUP BY order_placed_on;\n    "
doc = {"description": "Determines the popular day of week orders are placed."}
run_facets = {
    "airflow_runArgs": {"externalTrigger": False},
    "airflow_version": {
        "airflowVersion": "1.10.12",
        "operator": "airflow.operators.postgres_operator.PostgresOperator",
    },
}
dag = "postgres_orders_popular_day_of_week"


def job(task, sql, with_doc=True):
    f = {"sql": {"query": sql}}
    if with_doc:
        f["documentation"] = dict(doc)
    return {"namespace": "food_delivery", "name": f"{dag}.{task}", "facets": f}


ev = [
    (
        {
            "eventType": "START",
            "inputs": [],
            "job": job("postgres_if_not_exists", create_sql),
            "outputs": [],
            "run": {"facets": json.loads(json.dumps(run_facets))},
        },
        "postgres_if_not_exists",
        "2021-07-01T10:00:00.000000Z",
    ),
    (
        {
            "eventType": "START",
            "inputs": [json.loads(json.dumps(top))],
            "job": job("postgres_insert", insert_sql),
            "outputs": [],
            "run": {"facets": json.loads(json.dumps(run_facets))},
        },
        "postgres_insert",
        "2021-07-01T10:00:05.000000Z",
    ),
    (
        {"eventType": "COMPLETE", "inputs": [], "job": job("postgres_if_not_exists", create_sql, False), "outputs": []},
        "postgres_if_not_exists",
        "2021-07-01T10:00:03.000000Z",
    ),
    (
        {
            "eventType": "COMPLETE",
            "inputs": [json.loads(json.dumps(top))],
            "job": job("postgres_insert", insert_sql, False),
            "outputs": [popular],
        },
        "postgres_insert",
        "2021-07-01T10:00:09.000000Z",
    ),
]
write(
    "airflow_postgres.jsonl", [complete(e, "postgres", AIRFLOW, t, rid("airflow/postgres", task)) for e, task, t in ev]
)


# --- Airflow: integration/airflow/tests/integration/requests/failing/bash.json -------------------------------
def bash_parent():
    return {
        "job": {"name": "bash_dag", "namespace": "food_delivery"},
        "run": {"runId": rid("airflow/bash", "bash_dag")},
    }


airflow_facet = {
    "dag": {"dag_id": "bash_dag", "timetable": {}},
    "dagRun": {"dag_id": "bash_dag"},
    "task": {},
    "taskInstance": {"try_number": 1},
}
ev = [
    (
        {
            "eventType": "START",
            "inputs": [],
            "job": {"name": "bash_dag.failing_task", "namespace": "food_delivery"},
            "outputs": [],
            "run": {"facets": {"airflow": json.loads(json.dumps(airflow_facet)), "parent": bash_parent()}},
        },
        "failing_task",
        "2021-07-02T08:00:00.000000Z",
    ),
    (
        {
            "eventType": "FAIL",
            "inputs": [],
            "job": {"name": "bash_dag.failing_task", "namespace": "food_delivery"},
            "run": {"facets": {"parent": bash_parent()}},
            "outputs": [],
        },
        "failing_task",
        "2021-07-02T08:00:04.000000Z",
    ),
    (
        {
            "eventType": "START",
            "inputs": [],
            "job": {"name": "bash_dag.success_task", "namespace": "food_delivery"},
            "outputs": [],
            "run": {"facets": {"airflow": json.loads(json.dumps(airflow_facet)), "parent": bash_parent()}},
        },
        "success_task",
        "2021-07-02T08:00:01.000000Z",
    ),
    (
        {
            "eventType": "COMPLETE",
            "inputs": [],
            "job": {"name": "bash_dag.success_task", "namespace": "food_delivery"},
            "run": {"facets": {"parent": bash_parent()}},
            "outputs": [],
        },
        "success_task",
        "2021-07-02T08:00:06.000000Z",
    ),
]
write("airflow_failing_bash.jsonl", [complete(e, "bash", AIRFLOW, t, rid("airflow/bash", task)) for e, task, t in ev])

# --- dbt: compatibility-tests producer/dbt/scenarios/csv_to_postgres/events/{orders,customers,analytics}/column_lineage_event.json
DBT = "https://github.com/OpenLineage/OpenLineage/tree/1.39.0/integration/dbt"
PG = "postgres://localhost:5432"


def cl(mapping):
    return {
        "fields": {
            out: {"inputFields": [{"field": f, "name": n, "namespace": PG, "transformations": []} for n, f in ins]}
            for out, ins in mapping.items()
        }
    }


raw_o, raw_c, stg_o, stg_c = (
    "dbt_test.main.raw_orders",
    "dbt_test.main.raw_customers",
    "dbt_test.main.stg_orders",
    "dbt_test.main.stg_customers",
)
models = [
    (
        "stg_orders",
        [raw_o],
        {
            "amount": [(raw_o, "amount")],
            "completed_amount": [(raw_o, "amount"), (raw_o, "status")],
            "customer_id": [(raw_o, "customer_id")],
            "order_date": [(raw_o, "order_date")],
            "order_id": [(raw_o, "order_id")],
            "status": [(raw_o, "status")],
        },
        False,
    ),
    (
        "stg_customers",
        [raw_c],
        {
            "customer_id": [(raw_c, "customer_id")],
            "customer_name": [(raw_c, "name")],
            "email": [(raw_c, "email")],
            "registration_date": [(raw_c, "registration_date")],
            "segment": [(raw_c, "segment")],
            "value_tier": [(raw_c, "segment")],
        },
        False,
    ),
    (
        "customer_analytics",
        [stg_c, stg_o],
        {
            "avg_order_value": [(stg_o, "completed_amount")],
            "customer_id": [(stg_c, "customer_id")],
            "customer_name": [(stg_c, "customer_name")],
            "email": [(stg_c, "email")],
            "last_order_date": [(stg_o, "order_date")],
            "segment": [(stg_c, "segment")],
            "total_orders": [(stg_o, "order_id")],
            "total_revenue": [(stg_o, "completed_amount")],
            "value_tier": [(stg_c, "value_tier")],
        },
        True,
    ),
]
events = []
parent = {
    "job": {"namespace": "dbt", "name": "dbt-run-openlineage_compatibility_test"},
    "run": {"runId": rid("dbt", "run")},
}
for i, (model, ins, mapping, with_source) in enumerate(models):
    name = f"dbt_test.main.openlineage_compatibility_test.{model}"
    out_facets = {"columnLineage": cl(mapping)}
    if with_source:
        out_facets["dataSource"] = {"name": PG, "uri": PG}
    start = {
        "eventType": "START",
        "job": {"namespace": "dbt", "name": name},
        "run": {"facets": {"parent": json.loads(json.dumps(parent))}},
        "inputs": [{"namespace": PG, "name": n} for n in ins],
        "outputs": [{"namespace": PG, "name": f"dbt_test.main.{model}"}],
    }
    done = {
        "eventType": "COMPLETE",
        "job": {"namespace": "dbt", "name": name},
        "run": {"facets": {"parent": json.loads(json.dumps(parent))}},
        "inputs": [{"namespace": PG, "name": n} for n in ins],
        "outputs": [{"name": f"dbt_test.main.{model}", "namespace": PG, "facets": out_facets}],
    }
    events.append(complete(start, "dbt", DBT, f"2025-06-01T12:00:{10 * i:02d}.000000Z", rid("dbt", model)))
    events.append(complete(done, "dbt", DBT, f"2025-06-01T12:00:{10 * i + 5:02d}.000000Z", rid("dbt", model)))
write("dbt_csv_to_postgres.jsonl", events)

# --- Spark: integration/spark/app/integrations/container/pysparkCLLEnd.json -----------------------------------
SPARK = "https://github.com/OpenLineage/OpenLineage/tree/1.19.0/integration/spark"


def t(kind, sub):
    return {"type": kind, "subtype": sub, "description": "", "masking": False}


S1, S2 = "/tmp/cll_test/cll_source1", "/tmp/cll_test/cll_source2"


def f(n, fld, *ts):
    return {"namespace": "file", "name": n, "field": fld, "transformations": list(ts)}


GB, J, FI = t("INDIRECT", "GROUP_BY"), t("INDIRECT", "JOIN"), t("INDIRECT", "FILTER")
file_src = {"dataSource": {"name": "file", "uri": "file"}}
cll_end = {
    "eventType": "COMPLETE",
    "job": {
        "namespace": "testColumnLevelLineage",
        "name": "cll_test.execute_insert_into_hadoop_fs_relation_command.tmp_cll_test_tbl1",
    },
    "inputs": [
        {
            "namespace": "file",
            "name": S2,
            "facets": {
                **json.loads(json.dumps(file_src)),
                "schema": {"fields": [{"name": "a", "type": "integer"}, {"name": "c", "type": "integer"}]},
            },
        },
        {
            "namespace": "file",
            "name": S1,
            "facets": {
                **json.loads(json.dumps(file_src)),
                "schema": {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]},
            },
        },
    ],
    "outputs": [
        {
            "namespace": "file",
            "name": "/tmp/cll_test/tbl1",
            "facets": {
                **json.loads(json.dumps(file_src)),
                "schema": {
                    "fields": [
                        {"name": "ident", "type": "integer"},
                        {"name": "trans", "type": "string"},
                        {"name": "agg", "type": "long"},
                    ]
                },
                "columnLineage": {
                    "fields": {
                        "ident": {
                            "inputFields": [
                                f(S1, "a", t("DIRECT", "IDENTITY"), GB, J, FI),
                                f(S1, "b", GB),
                                f(S2, "a", J, FI),
                            ]
                        },
                        "trans": {
                            "inputFields": [
                                f(S1, "a", GB, J, FI),
                                f(S1, "b", t("DIRECT", "TRANSFORMATION"), GB),
                                f(S2, "a", J, FI),
                            ]
                        },
                        "agg": {
                            "inputFields": [
                                f(S1, "a", GB, J, FI),
                                f(S1, "b", GB),
                                f(S2, "c", t("DIRECT", "AGGREGATION")),
                                f(S2, "a", J, FI),
                            ]
                        },
                    }
                },
                "symlinks": {
                    "identifiers": [{"namespace": "file:/tmp/cll_test", "name": "default.tbl1", "type": "TABLE"}]
                },
            },
        }
    ],
}
write("spark_cll.jsonl", [complete(cll_end, "spark", SPARK, "2024-08-20T09:30:00.000000Z", rid("spark", "cll"))])

# --- Flink: integration/flink/flink2/.../expected_sql_kafka.json, integration/flink/flink1/.../expected_failed.json
FLINK = "https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink"
KAFKA = "kafka://kafka-cluster-prod:9092"


def fld(n, ty):
    return {"name": n, "type": ty, "description": ""}


sql_kafka = {
    "schemaURL": SPEC,
    "eventType": "START",
    "run": {
        "facets": {"processing_engine": {"version": "2.0.0", "name": "flink", "openlineageAdapterVersion": "1.30.0"}}
    },
    "job": {
        "namespace": "flink-jobs",
        "name": "insert-into_default_catalog.default_database.kafka_output",
        "facets": {"jobType": {"processingType": "STREAMING", "integration": "FLINK", "jobType": "JOB"}},
    },
    "inputs": [
        {
            "namespace": KAFKA,
            "name": "io.openlineage.flink.kafka.input1",
            "facets": {
                "schema": {
                    "fields": [
                        fld("price", "DECIMAL(38, 18)"),
                        fld("currency", "STRING"),
                        fld("log_date", "DATE"),
                        fld("log_time", "TIME(0)"),
                        fld("log_ts", "TIMESTAMP(3)"),
                    ]
                },
                "symlinks": {
                    "identifiers": [
                        {"namespace": KAFKA, "name": "default_catalog.default_database.kafka_input", "type": "TABLE"}
                    ]
                },
            },
        }
    ],
    "outputs": [
        {
            "namespace": KAFKA,
            "name": "io.openlineage.flink.kafka.output",
            "facets": {
                "schema": {
                    "fields": [
                        fld("ts_interval", "STRING"),
                        fld("max_log_date", "STRING"),
                        fld("max_log_time", "STRING"),
                        fld("max_ts", "STRING"),
                        fld("counter", "BIGINT"),
                        fld("max_price", "DECIMAL(38, 18)"),
                    ]
                },
                "symlinks": {
                    "identifiers": [
                        {"namespace": KAFKA, "name": "default_catalog.default_database.kafka_output", "type": "TABLE"}
                    ]
                },
            },
        }
    ],
}
failed = {
    "eventType": "FAIL",
    "job": {"namespace": "flink_job_namespace", "name": "flink_failed_job"},
    "run": {
        "facets": {
            "errorMessage": {"message": "Application Status: FAILED", "programmingLanguage": "JAVA"},
            "processing_engine": {"version": "1.19.1", "name": "flink", "openlineageAdapterVersion": "1.30.0"},
        }
    },
}
write(
    "flink.jsonl",
    [
        complete(sql_kafka, "flink", FLINK, "2025-02-10T15:00:00.000000Z", rid("flink", "sql_kafka")),
        complete(failed, "flink", FLINK, "2025-02-10T15:05:00.000000Z", rid("flink", "failed")),
    ],
)
print("ok")
