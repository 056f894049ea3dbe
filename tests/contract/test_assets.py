"""The asset registry behaves the same on every backend."""

from __future__ import annotations

import threading

import pytest

from app.domain.access import Scope, open_scope
from app.domain.assets import AssetIn
from app.errors import Forbidden, NotFound
from app.services import assets as svc
from app.store.base import GraphStore
from tests.clock import TestClock

TABLE = "io.kestra.plugin.ee.assets.Table"


def put(store: GraphStore, tenant: str, asset_id: str, **fields: object):  # type: ignore[no-untyped-def]
    return svc.put_asset(store, open_scope(tenant), asset_id, AssetIn(**fields))  # type: ignore[arg-type]


def test_put_then_get_round_trips_every_field(store: GraphStore, tenant: str) -> None:
    asset, created = put(
        store,
        tenant,
        "trips",
        type=TABLE,
        namespace="company.team",
        displayName="Trips",
        description="# Trips\nOne row per ride.",
        metadata={"database": "sqlite", "rows": 4, "ratio": 0.5, "active": True},
    )
    assert created
    got = svc.get_asset(store, open_scope(tenant), "trips")
    assert got == asset
    assert (got.tenantId, got.id, got.namespace, got.type) == (tenant, "trips", "company.team", TABLE)
    assert got.displayName == "Trips" and got.description == "# Trips\nOne row per ride."
    assert got.metadata == {"database": "sqlite", "rows": 4, "ratio": 0.5, "active": True}
    assert got.deleted is False and got.createdBy == "manual"
    assert got.created == got.updated and got.created.endswith("Z")


def test_type_spellings_are_one_type(store: GraphStore, tenant: str) -> None:
    asset, _ = put(store, tenant, "t", type="io.kestra.core.models.assets.Table")
    assert asset.type == TABLE
    page = svc.list_assets(store, open_scope(tenant), svc.AssetFilter(type="io.kestra.core.models.assets.Table"))
    assert [a.id for a in page.results] == ["t"]


def test_created_is_fixed_and_updated_moves_only_on_change(store: GraphStore, tenant: str) -> None:
    clock = TestClock()
    scope = open_scope(tenant)
    first, _ = svc.put_asset(store, scope, "a", AssetIn(type=TABLE, metadata={"k": "v"}), clock=clock)
    assert first.created == first.updated == clock()
    clock.advance()
    same, created = svc.put_asset(store, scope, "a", AssetIn(type=TABLE, metadata={"k": "v"}), clock=clock)
    assert not created and same.updated == first.updated and same.created == first.created
    later = clock.advance()
    changed, _ = svc.put_asset(store, scope, "a", AssetIn(type=TABLE, metadata={"k": "w"}), clock=clock)
    assert changed.created == first.created
    assert changed.updated == later
    assert changed.metadata == {"k": "w"}


def test_put_replaces_fields_it_omits(store: GraphStore, tenant: str) -> None:
    put(store, tenant, "a", type=TABLE, namespace="n", displayName="A", metadata={"x": 1})
    after, _ = put(store, tenant, "a", type="custom")
    assert (after.namespace, after.displayName, after.metadata, after.type) == (None, None, {}, "custom")


def test_get_missing_is_not_found(store: GraphStore, tenant: str) -> None:
    with pytest.raises(NotFound):
        svc.get_asset(store, open_scope(tenant), "nope")


def test_list_filters_by_type_namespace_and_metadata(store: GraphStore, tenant: str) -> None:
    put(store, tenant, "raw.trips", type=TABLE, namespace="data", metadata={"layer": "raw", "owner": "ana"})
    put(
        store,
        tenant,
        "stg.trips",
        type=TABLE,
        namespace="data.staging",
        metadata={"layer": "staging", "owner": "ana"},
    )
    put(
        store,
        tenant,
        "mart.avg",
        type=TABLE,
        namespace="data.mart",
        metadata={"layer": "mart", "owner": "bo"},
    )
    put(store, tenant, "bucket", type="AWS_BUCKET", namespace="infra", metadata={"layer": "raw", "n": 3})
    put(store, tenant, "other", type=TABLE, namespace="database", metadata={"layer": "raw"})
    scope = open_scope(tenant)

    def ids(**kw: object) -> list[str]:
        page = svc.list_assets(store, scope, svc.AssetFilter(**kw))  # type: ignore[arg-type]
        assert page.total == len(page.results)
        return [a.id for a in page.results]

    assert ids(type="AWS_BUCKET") == ["bucket"]
    assert ids(type=TABLE) == ["mart.avg", "other", "raw.trips", "stg.trips"]
    # a namespace filter matches itself and its children, not a sibling that shares a prefix
    assert ids(namespace="data") == ["mart.avg", "raw.trips", "stg.trips"]
    assert ids(namespace="data.mart") == ["mart.avg"]
    assert ids(metadata={"layer": "raw"}) == ["bucket", "other", "raw.trips"]
    assert ids(metadata={"layer": "raw", "owner": "ana"}) == ["raw.trips"]
    assert ids(metadata={"n": "3"}) == ["bucket"]  # query strings carry no type
    assert ids(type=TABLE, namespace="data", metadata={"owner": "ana"}) == ["raw.trips", "stg.trips"]
    assert ids(metadata={"layer": "nope"}) == []
    assert ids(q="TRIPS") == ["raw.trips", "stg.trips"]  # search: id contains, any case
    assert ids(q="trips", namespace="data.staging") == ["stg.trips"]


def test_list_pages_in_id_order(store: GraphStore, tenant: str) -> None:
    for i in range(7):
        put(store, tenant, f"a{i}", type="x")
    scope = open_scope(tenant)
    pages = [svc.list_assets(store, scope, svc.AssetFilter(), page=p, size=3) for p in (1, 2, 3)]
    assert [[a.id for a in p.results] for p in pages] == [["a0", "a1", "a2"], ["a3", "a4", "a5"], ["a6"]]
    assert {p.total for p in pages} == {7}


def test_soft_delete_hides_from_lists_and_put_revives(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    clock = TestClock()
    first, _ = svc.put_asset(store, scope, "a", AssetIn(type="x"), clock=clock)
    put(store, tenant, "b", type="x")
    deleted = svc.delete_asset(store, scope, "a", clock=clock.advance)
    assert deleted.deleted is True and deleted.updated == clock() > first.updated  # deleting is a change
    assert svc.get_asset(store, scope, "a").deleted is True  # still there, flagged
    assert [a.id for a in svc.list_assets(store, scope, svc.AssetFilter()).results] == ["b"]
    assert [a.id for a in svc.list_assets(store, scope, svc.AssetFilter(include_deleted=True)).results] == [
        "a",
        "b",
    ]
    again = svc.delete_asset(store, scope, "a", clock=clock.advance)
    assert again.updated == deleted.updated  # deleting twice changes nothing
    revived, created = put(store, tenant, "a", type="x")
    assert not created and revived.deleted is False and revived.created == deleted.created
    assert [a.id for a in svc.list_assets(store, scope, svc.AssetFilter()).results] == ["a", "b"]


def test_tenants_do_not_see_each_other(store: GraphStore, tenant: str) -> None:
    other = tenant + "x"
    put(store, tenant, "shared-id", type="x", metadata={"who": "first"})
    put(store, other, "shared-id", type="x", metadata={"who": "second"})
    assert svc.get_asset(store, open_scope(tenant), "shared-id").metadata == {"who": "first"}
    assert svc.get_asset(store, open_scope(other), "shared-id").metadata == {"who": "second"}
    assert svc.list_assets(store, open_scope(tenant), svc.AssetFilter()).total == 1


def test_namespace_grants_filter_inside_queries(store: GraphStore, tenant: str) -> None:
    put(store, tenant, "team", type="x", namespace="company.team")
    put(store, tenant, "teamsub", type="x", namespace="company.team.sub")
    put(store, tenant, "teams", type="x", namespace="company.teams")
    put(store, tenant, "bare", type="x")
    viewer = Scope(tenant=tenant, read=("company.team",), write=())
    assert [a.id for a in svc.list_assets(store, viewer, svc.AssetFilter()).results] == ["team", "teamsub"]
    with pytest.raises(NotFound):
        svc.get_asset(store, viewer, "teams")
    with pytest.raises(NotFound):
        svc.get_asset(store, viewer, "bare")  # no namespace: tenant-wide grants only
    with pytest.raises(Forbidden):
        svc.put_asset(store, viewer, "team", AssetIn(type="x", namespace="company.team"))
    assert svc.get_asset(store, open_scope(tenant), "team").type == "x"


def test_restart_keeps_everything(store: GraphStore, tenant: str, reopen) -> None:  # type: ignore[no-untyped-def]
    put(store, tenant, "a", type=TABLE, namespace="n", metadata={"k": 1})
    svc.delete_asset(store, open_scope(tenant), "a")
    put(store, tenant, "b", type="x")
    before = svc.list_assets(store, open_scope(tenant), svc.AssetFilter(include_deleted=True))
    store2 = reopen(store)
    try:
        after = svc.list_assets(store2, open_scope(tenant), svc.AssetFilter(include_deleted=True))
        assert after == before and after.total == 2
    finally:
        store2.close()


def test_concurrent_puts_of_one_new_id_leave_one_asset(store: GraphStore, tenant: str) -> None:
    barrier = threading.Barrier(8)
    results: list[bool] = []
    errors: list[Exception] = []

    def worker(i: int) -> None:
        barrier.wait()
        try:
            _, created = put(store, tenant, "contested", type="x", metadata={"writer": i})
            results.append(created)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results.count(True) == 1
    page = svc.list_assets(store, open_scope(tenant), svc.AssetFilter())
    assert page.total == 1 and page.results[0].id == "contested"


def test_batch_put_matches_single_puts(store: GraphStore, tenant: str) -> None:
    scope = open_scope(tenant)
    clock = TestClock()
    svc.put_asset(
        store, scope, "kept", AssetIn(type=TABLE, namespace="company.team", metadata={"rows": 1}), clock=clock
    )
    svc.put_asset(store, scope, "gone", AssetIn(type="T"), clock=clock)
    svc.delete_asset(store, scope, "gone", clock=clock)
    before = svc.get_asset(store, scope, "kept")
    clock.advance()
    items = [
        ("kept", AssetIn(type=TABLE, namespace="company.team", metadata={"rows": 1})),  # unchanged
        ("gone", AssetIn(type="T")),  # revived
        ("new", AssetIn(type="io.kestra.core.models.assets.File", displayName="N", metadata={"owner": "data"})),
        ("s3://b/k", AssetIn(type="T", namespace="company.team.sub", description="*md*")),
    ]
    result = svc.put_assets(store, scope, items, clock=clock)
    assert (result.total, result.created, result.replaced) == (4, 2, 2)
    kept = svc.get_asset(store, scope, "kept")
    assert kept.updated == before.updated and kept.created == before.created  # same content: no change
    assert svc.get_asset(store, scope, "gone").deleted is False
    new = svc.get_asset(store, scope, "new")
    assert (new.type, new.displayName, new.metadata, new.createdBy) == (
        "io.kestra.plugin.ee.assets.File",
        "N",
        {"owner": "data"},
        "manual",
    )
    assert svc.get_asset(store, scope, "s3://b/k").description == "*md*"
    page = svc.list_assets(store, scope, svc.AssetFilter(metadata={"owner": "data"}))
    assert [a.id for a in page.results] == ["new"]  # metadata filters see batch-written assets
    again = svc.put_assets(store, scope, items)
    assert (again.total, again.created, again.replaced) == (4, 0, 4)
    assert svc.list_assets(store, scope, svc.AssetFilter(), size=100).total == 4


def test_batch_put_is_all_or_nothing_under_grants(store: GraphStore, tenant: str) -> None:
    put(store, tenant, "hr.salaries", type=TABLE, namespace="hr")
    editor = Scope(tenant=tenant, read=("company.team",), write=("company.team",))
    with pytest.raises(NotFound) as hidden:  # an existing asset the caller cannot see: it does not exist
        svc.put_assets(
            store,
            editor,
            [
                ("fresh", AssetIn(type="T", namespace="company.team")),
                ("hr.salaries", AssetIn(type="T", namespace="company.team")),
            ],
        )
    assert hidden.value.field == "[1].id"
    with pytest.raises(Forbidden) as denied:
        svc.put_assets(
            store,
            editor,
            [("fresh", AssetIn(type="T", namespace="company.team")), ("x", AssetIn(type="T", namespace="hr"))],
        )
    assert denied.value.field == "[1].namespace"
    with pytest.raises(NotFound):
        svc.get_asset(store, open_scope(tenant), "fresh")  # the good neighbour was not written either time
    assert svc.get_asset(store, open_scope(tenant), "hr.salaries").namespace == "hr"
