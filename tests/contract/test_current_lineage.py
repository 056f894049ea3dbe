"""Current lineage is decided per (task slot, output asset), on every backend (issue 22): a flow run once per VM,
table or customer keeps every output's lineage; a newer run writing the same output from other inputs replaces
them; failed runs and tasks that left the flow never count; column edges follow the same rule."""

from __future__ import annotations

import uuid

from app.domain.access import open_scope
from app.services.flows import put_flow
from app.services.usages import asset_usages
from app.store.base import GraphStore
from tests.contract.helpers import SANDBOX, record, run
from tests.contract.test_lineage import answer
from tests.contract.test_openlineage_runs import PG, apply, ds, event, lineage_facet


def test_a_flow_run_per_vm_keeps_each_snapshots_lineage(store: GraphStore, tenant: str) -> None:
    """The blueprint's case: execution 2 (another VM) must not erase execution 1's snapshot lineage."""
    for execution, vm, start in (
        ("e1", "prod-web-server-01", "2026-11-01T10:00:00Z"),
        ("e2", "prod-db-01", "2026-11-02T10:00:00Z"),
    ):
        record(store, tenant, flow="nutanix_safe_patching", id=execution, inputs={"vm_name": vm}, startDate=start)
    assert answer(store, tenant, "snapshot-e1", upstream=True) == {"prod-web-server-01": 1}
    assert answer(store, tenant, "snapshot-e2", upstream=True) == {"prod-db-01": 1}
    assert answer(store, tenant, "prod-web-server-01") == {"snapshot-e1": 1}


def test_a_run_per_table_keeps_every_table_and_a_rewrite_replaces_its_inputs(store: GraphStore, tenant: str) -> None:
    for i, table in enumerate(("orders", "customers", "payments")):
        body = run(
            "copy_table",
            [("copy", [f"raw.{table}"], [f"stg.{table}"])],
            id=f"c{i}",
            startDate=f"2026-11-0{i + 1}T00:00:00Z",
        )
        record(store, tenant, body)
    for table in ("orders", "customers", "payments"):
        assert answer(store, tenant, f"raw.{table}") == {f"stg.{table}": 1}
    # a newer run that writes stg.orders from another table: the old input drops out, the other tables stay
    record(
        store,
        tenant,
        run("copy_table", [("copy", ["raw.orders_v2"], ["stg.orders"])], id="c9", startDate="2026-11-09T00:00:00Z"),
    )
    assert answer(store, tenant, "stg.orders", upstream=True) == {"raw.orders_v2": 1}
    assert answer(store, tenant, "raw.orders") == {}
    assert answer(store, tenant, "raw.orders", history=True) == {"stg.orders": 1}
    assert answer(store, tenant, "raw.customers") == {"stg.customers": 1}
    # an older run arriving late changes nothing current
    record(
        store,
        tenant,
        run("copy_table", [("copy", ["raw.late"], ["stg.orders"])], id="c0-late", startDate="2026-10-01T00:00:00Z"),
    )
    assert answer(store, tenant, "stg.orders", upstream=True) == {"raw.orders_v2": 1}


def test_failed_runs_and_retired_tasks_still_do_not_count(store: GraphStore, tenant: str) -> None:
    record(store, tenant, run("etl", [("load", ["src.a"], ["dst.a"])], id="ok", startDate="2026-11-01T00:00:00Z"))
    record(
        store,
        tenant,
        run("etl", [("load", ["src.z"], ["dst.a"])], id="bad", state="FAILED", startDate="2026-11-02T00:00:00Z"),
    )
    assert answer(store, tenant, "dst.a", upstream=True) == {"src.a": 1}
    record(store, tenant, run("etl", [("load", ["src.b"], ["dst.b"])], id="ok2", startDate="2026-11-03T00:00:00Z"))
    assert answer(store, tenant, "src.a") == {"dst.a": 1} and answer(store, tenant, "src.b") == {"dst.b": 1}
    # the task leaves the stored flow: every output it held stops counting
    flow = "id: etl\nnamespace: company.team\ntasks:\n  - id: other\n    type: x\n"
    put_flow(store, open_scope(tenant), SANDBOX, flow)
    assert answer(store, tenant, "src.a") == {} and answer(store, tenant, "src.b") == {}
    assert answer(store, tenant, "src.a", history=True) == {"dst.a": 1}


def test_column_edges_follow_the_output_they_derive(store: GraphStore, tenant: str) -> None:
    from app.services import columns

    scope = open_scope(tenant)

    def job_run(output: str, source: str, when: str) -> None:
        out = ds(output, columnLineage=lineage_facet({"b": [(source, "a", "DIRECT/IDENTITY")]}))
        apply(store, scope, event("COMPLETE", str(uuid.uuid4()), when, [ds(source)], [out]))

    def upstream_columns(asset: str) -> set[str]:
        page = columns.column_lineage(store, scope, f"{PG}/{asset}", "b", "upstream")
        return {f"{i.assetId}.{i.column}" for i in page.items}  # type: ignore[attr-defined]

    job_run("c.one", "c.src1", "2026-11-01T00:00:00Z")
    job_run("c.two", "c.src2", "2026-11-02T00:00:00Z")  # the same job writes another table
    assert upstream_columns("c.one") == {f"{PG}/c.src1.a"}
    assert upstream_columns("c.two") == {f"{PG}/c.src2.a"}
    job_run("c.one", "c.src3", "2026-11-03T00:00:00Z")  # and c.one again, from another source
    assert upstream_columns("c.one") == {f"{PG}/c.src3.a"}
    assert upstream_columns("c.two") == {f"{PG}/c.src2.a"}


def test_column_answers_are_truncated_only_when_more_is_reachable(store: GraphStore, tenant: str) -> None:
    from app.services import columns

    scope = open_scope(tenant)
    fields = {f"b{i}": [("col.src", "a", "DIRECT/IDENTITY")] for i in range(5)}
    out = ds("col.out", columnLineage=lineage_facet(fields))
    apply(store, scope, event("COMPLETE", str(uuid.uuid4()), "2026-11-01T00:00:00Z", [ds("col.src")], [out]))
    exact = columns.column_lineage(store, scope, f"{PG}/col.src", "a", "downstream", limit=5)
    assert len(exact.items) == 5 and exact.truncated is False
    short = columns.column_lineage(store, scope, f"{PG}/col.src", "a", "downstream", limit=4)
    assert len(short.items) == 4 and short.truncated is True


DBT_TEST = (
    "test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned"
    ".080fb20aad"
)


def test_long_job_names_are_distinct_slots(store: GraphStore, tenant: str) -> None:
    """dbt's test and its `.sql.1` / `.sql.2` children share their first 100 characters: the children's runs (no
    outputs) must not take the test's slot, or its audit table drops out of the impact of what it read."""
    scope = open_scope(tenant)
    audit = ds("audit.accepted_values_stg_orders")
    apply(
        store,
        scope,
        event("COMPLETE", str(uuid.uuid4()), "2026-11-01T00:00:00Z", [ds("raw_orders")], [audit], job=DBT_TEST),
    )
    for n in (1, 2):
        child = event(
            "COMPLETE", str(uuid.uuid4()), f"2026-11-01T00:0{n}:00Z", [ds("raw_orders")], [], job=f"{DBT_TEST}.sql.{n}"
        )
        apply(store, scope, child)
    assert answer(store, tenant, f"{PG}/raw_orders") == {f"{PG}/audit.accepted_values_stg_orders": 1}
    runs = {u.taskId for u in asset_usages(store, scope, f"{PG}/raw_orders").results}
    assert len(runs) == 3 and all(len(t) <= 100 for t in runs)  # three slots, each id within Kestra's rule
