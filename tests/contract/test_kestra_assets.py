"""Kestra's asset operations on both backends: query filters evaluated in the database, Kestra's update rules,
bulk deletes, the dependency graph and locks (with a clock the test moves)."""

from __future__ import annotations

import pytest

from app.domain.access import Scope, open_scope
from app.domain.assets import AssetIn
from app.domain.lineage import Traversal
from app.domain.query_filters import ASSET_FIELDS, USAGE_FIELDS, Sort, parse
from app.errors import Conflict, Forbidden, NotFound
from app.services import assets as svc
from app.services import lineage, locks, usages
from app.store.base import GraphStore
from tests.clock import TestClock
from tests.contract.helpers import record, run

ASSETS = {
    "orders": ("sales", "TABLE", {"owner": "ana", "tier": 1}, "Orders", "every order"),
    "orders_daily": ("sales.marts", "TABLE", {"owner": "ana", "tier": 2}, None, None),
    "customers": ("crm", "TABLE", {"owner": "bo"}, "Customers", "who buys"),
    "invoices.pdf": ("sales", "FILE", {}, None, "scanned Orders"),
    "salesforce": ("crm.sync", "API", {"owner": "bo", "tier": 1}, None, None),
}


@pytest.fixture
def seeded(store: GraphStore, tenant: str) -> TestClock:
    clock = TestClock()
    for asset_id, (ns, type_, meta, name, desc) in ASSETS.items():
        body = AssetIn(type=type_, namespace=ns, metadata=meta, displayName=name, description=desc)
        svc.put_asset(store, open_scope(tenant), asset_id, body, clock=clock)
        clock.advance(60)
    return clock


def search(store: GraphStore, tenant: str, *params: tuple[str, str], sort: str = "id", desc: bool = False) -> list[str]:
    page = svc.search_assets(store, open_scope(tenant), parse(params, ASSET_FIELDS), Sort(sort, desc), page=1, size=50)
    assert page.total == len(page.results)
    return [a.id for a in page.results]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ((), ["customers", "invoices.pdf", "orders", "orders_daily", "salesforce"]),
        ((("filters[id][EQUALS]", "orders"),), ["orders"]),
        ((("filters[assetId][NOT_EQUALS]", "orders"),), ["customers", "invoices.pdf", "orders_daily", "salesforce"]),
        ((("filters[id][IN]", "orders,customers,nope"),), ["customers", "orders"]),
        ((("filters[type][NOT_IN]", "TABLE,FILE"),), ["salesforce"]),
        ((("filters[id][STARTS_WITH]", "orders"),), ["orders", "orders_daily"]),
        ((("filters[id][ENDS_WITH]", ".pdf"),), ["invoices.pdf"]),
        ((("filters[id][CONTAINS]", "ers"),), ["customers", "orders", "orders_daily"]),
        ((("filters[id][NOT_CONTAINS]", "ers"),), ["invoices.pdf", "salesforce"]),
        ((("filters[namespace][PREFIX]", "sales"),), ["invoices.pdf", "orders", "orders_daily"]),
        ((("filters[namespace][STARTS_WITH]", "sales"),), ["invoices.pdf", "orders", "orders_daily"]),
        ((("filters[namespace][EQUALS]", "crm"),), ["customers"]),
        ((("filters[id][REGEX]", "orders(_daily)?"),), ["orders", "orders_daily"]),
        ((("filters[metadata][EQUALS][owner]", "bo"),), ["customers", "salesforce"]),
        ((("filters[metadata][EQUALS][tier]", "1"),), ["orders", "salesforce"]),  # 1 and "1" are one value
        ((("filters[metadata][NOT_EQUALS][owner]", "ana"),), ["customers", "invoices.pdf", "salesforce"]),
        ((("filters[metadata][IN][tier]", "1,2"),), ["orders", "orders_daily", "salesforce"]),
        ((("filters[q][EQUALS]", "ORDERS"),), ["invoices.pdf", "orders", "orders_daily"]),  # id, name, description
        ((("filters[created][GREATER_THAN]", "2026-01-01T00:02:00Z"),), ["invoices.pdf", "salesforce"]),
        ((("filters[created][LESS_THAN_OR_EQUAL_TO]", "2026-01-01T00:01:00Z"),), ["orders", "orders_daily"]),
        ((("filters[updated][GREATER_THAN_OR_EQUAL_TO]", "2026-01-02"),), []),
        (
            (("filters[namespace][PREFIX]", "sales"), ("filters[type][EQUALS]", "TABLE")),
            ["orders", "orders_daily"],
        ),
        (
            (("filters[or][0][type][EQUALS]", "API"), ("filters[or][1][id][EQUALS]", "customers")),
            ["customers", "salesforce"],
        ),
        (
            (
                ("filters[or][0][and][0][namespace][PREFIX]", "sales"),
                ("filters[or][0][and][1][type][EQUALS]", "FILE"),
                ("filters[or][1][metadata][EQUALS][owner]", "bo"),
            ),
            ["customers", "invoices.pdf", "salesforce"],
        ),
    ],
)
def test_query_filters_run_in_the_database(
    store: GraphStore, tenant: str, seeded: TestClock, params: tuple[tuple[str, str], ...], expected: list[str]
) -> None:
    assert search(store, tenant, *params) == expected


def test_sorting_and_paging(store: GraphStore, tenant: str, seeded: TestClock) -> None:
    assert search(store, tenant, sort="created", desc=True) == list(reversed(ASSETS))
    assert search(store, tenant, sort="namespace")[:2] == ["customers", "salesforce"]
    scope, flt = open_scope(tenant), parse([], ASSET_FIELDS)
    second = svc.search_assets(store, scope, flt, Sort("id", False), page=2, size=2)
    assert [a.id for a in second.results] == ["orders", "orders_daily"] and second.total == 5


def test_filters_see_only_granted_namespaces(store: GraphStore, tenant: str, seeded: TestClock) -> None:
    sales = Scope(tenant=tenant, read=("sales",), write=())
    page = svc.search_assets(store, sales, parse([], ASSET_FIELDS), Sort("id", False), page=1, size=50)
    assert [a.id for a in page.results] == ["invoices.pdf", "orders", "orders_daily"] and page.total == 3


def test_kestra_update_rules(store: GraphStore, tenant: str) -> None:
    clock, scope = TestClock(), open_scope(tenant)
    first = svc.upsert_asset(
        store,
        scope,
        svc.KestraAssetIn(id="a", type="TABLE", displayName="A", metadata={"x": 1, "y": 2}),
        clock=clock,
    )
    clock.advance()
    second = svc.upsert_asset(
        store, scope, svc.KestraAssetIn(id="a", description="d", metadata={"y": None, "z": "3"}), clock=clock
    )
    assert (second.type, second.displayName, second.description) == ("TABLE", "A", "d")
    assert second.metadata == {"x": 1, "z": "3"} and second.created == first.created
    assert second.updated == clock()


def test_bulk_deletes_and_purge(store: GraphStore, tenant: str, seeded: TestClock) -> None:
    scope = open_scope(tenant)
    assert svc.delete_assets(store, scope, ["orders", "orders", "nope"]).count == 1
    assert svc.delete_assets(store, scope, ["orders"]).count == 0  # already deleted
    gone = svc.delete_by_query(store, scope, parse([("filters[namespace][PREFIX]", "crm")], ASSET_FIELDS), purge=True)
    assert gone.count == 2
    assert svc.get_asset(store, scope, "orders").deleted  # soft: still there, flagged
    with pytest.raises(NotFound):
        svc.get_asset(store, scope, "customers")  # purged: gone
    assert search(store, tenant) == ["invoices.pdf", "orders_daily"]


def test_a_bulk_removal_is_one_unit(store: GraphStore, tenant: str, seeded: TestClock) -> None:
    """Kestra's bulk delete is set-based (three statements for any number): one asset the caller may not change
    refuses the whole request and nothing is flagged; assets it cannot see are neither removed nor counted; a purge
    takes each asset's lineage and lock with it."""
    scope, clock = open_scope(tenant), seeded
    record(store, tenant, run("etl", [("load", ["orders", "customers"], ["orders_daily"])]))
    locks.lock_asset(store, scope, "orders", locks.LockRequest(executionId="e1", ttl="PT5M"), clock=clock)
    sales_only = Scope(tenant=tenant, read=("*",), write=("sales",))
    with pytest.raises(Forbidden, match="crm"):
        svc.delete_assets(store, sales_only, ["orders", "customers", "orders_daily"])
    assert not any(svc.get_asset(store, scope, i).deleted for i in ("orders", "customers", "orders_daily"))
    hidden = Scope(tenant=tenant, read=("sales",), write=("sales",))
    assert svc.delete_assets(store, hidden, ["customers", "orders_daily"]).count == 1  # customers: not seen
    assert not svc.get_asset(store, scope, "customers").deleted
    assert svc.delete_assets(store, scope, ["orders", "orders_daily", "salesforce"], purge=True).count == 3
    assert search(store, tenant) == ["customers", "invoices.pdf"]
    assert lineage.impact(store, scope, "customers", "downstream", Traversal()).results == []
    svc.put_asset(store, scope, "orders", AssetIn(type="TABLE", namespace="sales"), clock=clock)
    again = svc.get_asset(store, scope, "orders", clock=clock)
    assert again.lock is None and not again.deleted  # the purged asset's lock went with it


def test_locks_expire_and_belong_to_their_holder(store: GraphStore, tenant: str, seeded: TestClock) -> None:
    clock, scope = seeded, open_scope(tenant)
    held = locks.lock_asset(store, scope, "orders", locks.LockRequest(executionId="e1", ttl="PT5M"), clock=clock)
    assert held.ownerType == "EXECUTION" and held.namespace == "sales"
    with pytest.raises(Conflict, match="execution:e1"):
        locks.lock_asset(store, scope, "orders", locks.LockRequest(executionId="e2"), clock=clock)
    again = locks.lock_asset(store, scope, "orders", locks.LockRequest(executionId="e1", ttl="PT10M"), clock=clock)
    assert again.lockedUntil > held.lockedUntil  # the holder extends its hold
    assert svc.get_asset(store, scope, "orders", clock=clock).lock is not None
    clock.advance(11 * 60)
    assert svc.get_asset(store, scope, "orders", clock=clock).lock is None  # expired
    taken = locks.lock_asset(store, scope, "orders", locks.LockRequest(executionId="e2"), clock=clock)
    assert taken.executionId == "e2"
    locks.unlock_asset(store, scope, "orders", "e1")  # not the holder: no-op
    assert svc.get_asset(store, scope, "orders", clock=clock).lock is not None
    locks.unlock_asset(store, scope, "orders", "e2")
    assert svc.get_asset(store, scope, "orders", clock=clock).lock is None
    with pytest.raises(NotFound):
        locks.lock_asset(store, scope, "nope", locks.LockRequest(), clock=clock)


def test_deleting_usages_removes_the_lineage_they_made(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    record(store, tenant, run("etl", [("load", ["raw"], ["staged"]), ("model", ["staged"], ["mart", "report"])]))
    before = lineage.impact(store, scope, "raw", "downstream", Traversal())
    assert sorted(r.id for r in before.results) == ["mart", "report", "staged"]
    flt = parse([("filters[taskId][EQUALS]", "model"), ("filters[assetId][EQUALS]", "report")], USAGE_FIELDS)
    assert [u.assetId for u in usages.search_usages(store, scope, flt).results] == ["report"]
    assert usages.delete_usages(store, scope, flt).count == 1
    after = lineage.impact(store, scope, "raw", "downstream", Traversal())
    assert sorted(r.id for r in after.results) == ["mart", "staged"]  # report is no longer fed
    remaining = usages.search_usages(store, scope, parse([], USAGE_FIELDS), descending=False)
    assert remaining.total == 4 and "report" not in {u.assetId for u in remaining.results}
    events = usages.search_lineage_events(store, scope, parse([], USAGE_FIELDS), page=1, size=10)
    assert {(e.taskId, tuple(i.id for i in e.inputs), tuple(o.id for o in e.outputs)) for e in events.results} == {
        ("load", ("raw",), ("staged",)),
        ("model", ("staged",), ("mart",)),
    }
