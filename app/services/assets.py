"""Manual asset registration, lookup, soft delete and filtered listing."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import msgspec

from app.domain import limits, paging
from app.domain.access import Scope
from app.domain.assets import Asset, AssetIn, AssetLock, AssetPage, AssetWrite, asset_from_row
from app.domain.keys import asset_key
from app.domain.query_filters import Filter, Sort
from app.errors import BadRequest, DomainError, Forbidden, InvalidInput, NotFound, invalid_input
from app.services import binding, outbox
from app.services.filtering import run_filtered
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso


class AssetFilter(msgspec.Struct, kw_only=True, frozen=True):
    #: case-insensitive substring of the id (search)
    q: str | None = None
    type: str | None = None
    namespace: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)
    include_deleted: bool = False

    def params(self, scope: Scope) -> dict[str, Any]:
        return binding.asset_filters(
            scope,
            q=self.q,
            type_=self.type,
            namespace=self.namespace,
            metadata=self.metadata,
            deleted=self.include_deleted,
        )


def fetch_asset(tx: Tx, scope: Scope, asset_id: str) -> Asset | None:
    rows = tx.run("asset_get", key=asset_key(scope.tenant, asset_id), **binding.visibility(scope))
    return asset_from_row(rows[0]["a"]) if rows else None


def get_asset(
    store: GraphStore, scope: Scope, asset_id: str, *, allow_deleted: bool = True, clock: Clock = now_iso
) -> Asset:
    """One asset with its lock, if held. A deleted asset is a 404 unless `allow_deleted` (Kestra's rule)."""

    def work(tx: Tx) -> Asset | None:
        asset = fetch_asset(tx, scope, asset_id)
        if asset is not None:
            asset.lock = current_lock(tx, scope.tenant, asset, clock())
        return asset

    asset = store.read(work)
    if asset is None or (asset.deleted and not allow_deleted):
        raise asset_missing(scope, asset_id)
    return asset


def lock_from_row(props: dict[str, Any], namespace: str | None) -> AssetLock:
    return AssetLock(
        lockedUntil=props["lockedUntil"],
        acquiredAt=props["acquiredAt"],
        ownerType=props.get("ownerType") or "USER",
        executionId=props.get("executionId"),
        flowId=props.get("flowId"),
        flowNamespace=props.get("flowNamespace"),
        namespace=namespace,
        username=props.get("username"),
    )


def current_lock(tx: Tx, tenant: str, asset: Asset, now: str) -> AssetLock | None:
    """Who holds the asset at `now`: a lock whose time ran out is no lock."""
    rows = tx.run("asset_lock_get", key=asset_key(tenant, asset.id))
    if not rows or rows[0]["l"]["lockedUntil"] <= now:
        return None
    return lock_from_row(rows[0]["l"], asset.namespace)


def visible_assets(tx: Tx, scope: Scope, ids: set[str]) -> dict[str, Asset]:
    """Those of `ids` that exist and that the caller may see, by id (one lookup)."""
    if not ids:
        return {}
    rows = tx.run("assets_by_key", keys=sorted(asset_key(scope.tenant, i) for i in ids), **binding.visibility(scope))
    return {r["a"]["id"]: asset_from_row(r["a"]) for r in rows}


def asset_missing(scope: Scope, asset_id: str) -> NotFound:
    return NotFound(f"asset {asset_id!r} does not exist in tenant {scope.tenant!r}", field="id")


def unwritable(scope: Scope, asset_id: str, namespace: str | None, *, field: str) -> Forbidden:
    """The refusal to change an existing asset. Its namespace is named only to a caller who may read it: about an
    asset it cannot read, an error says no more than a read would (that an id is taken shows in any case, since a
    new one would have been written)."""
    if scope.can_read(namespace):
        return Forbidden(
            f"asset {asset_id!r} is in namespace {namespace or '(none)'!r}, where this token cannot write", field=field
        )
    return Forbidden(f"asset {asset_id!r} cannot be written with this token", field=field)


def require_write(scope: Scope, namespace: str | None) -> None:
    if not scope.can_write(namespace):
        raise Forbidden(f"no editor grant on namespace {namespace or '(none)'!r}", field="namespace")


def writable_asset(tx: Tx, scope: Scope, asset_id: str) -> Asset:
    """An asset the caller may change: 404 when it cannot see it, 403 when it may only read it."""
    asset = fetch_asset(tx, scope, asset_id)
    if asset is None:
        raise asset_missing(scope, asset_id)
    require_write(scope, asset.namespace)
    return asset


def put_asset(
    store: GraphStore,
    scope: Scope,
    asset_id: str,
    body: AssetIn,
    *,
    clock: Clock = now_iso,
    publish: bool = False,
) -> tuple[Asset, bool]:
    """Create or replace; returns the asset and whether it was created by this call. `publish`: write its
    DatasetEvent to the outbox (app/services/outbox.py)."""
    state = checked_write(scope, asset_id, body)
    key = asset_key(scope.tenant, asset_id)

    def work(tx: Tx) -> tuple[Asset, bool]:
        now = clock()
        row = tx.run("asset_put", key=key, tenantId=scope.tenant, id=asset_id, now=now, **state.params())[0]
        if not row["fresh"]:
            # It may sit in a namespace the caller cannot write: moving it out is a write there. Raising here
            # rolls the statement back.
            check_existing(scope, asset_id, row["namespaceBefore"])
        asset = asset_from_row(row["a"])
        if publish:
            outbox.publish_assets(tx, scope.tenant, [asset], now)
        return asset, bool(row["fresh"])

    return store.write(work)


class AssetBatchResult(msgspec.Struct, kw_only=True):
    """What `PUT /assets` did: every asset of the batch was written, or (on an error) none was."""

    total: int
    created: int
    replaced: int


def put_assets(
    store: GraphStore,
    scope: Scope,
    items: list[tuple[str, AssetIn]],
    *,
    clock: Clock = now_iso,
    publish: bool = False,
) -> AssetBatchResult:
    """Create or replace many assets in one transaction: the bulk path of `lineage import`, all or nothing.

    An error names the item (`[3].namespace`), and the batch writes nothing. An id given twice is refused:
    which of the two should win is the caller's decision, not an accident of order."""
    if not 1 <= len(items) <= limits.MAX_BATCH:
        raise InvalidInput(f"a batch holds 1 to {limits.MAX_BATCH} assets (got {len(items)})", field="body")
    states: list[tuple[str, AssetWrite]] = []
    seen: set[str] = set()
    for n, (asset_id, body) in enumerate(items):
        if asset_id in seen:
            raise InvalidInput(f"asset {asset_id!r} appears twice in the batch", field=f"[{n}].id")
        seen.add(asset_id)
        with _item(n):
            states.append((asset_id, checked_write(scope, asset_id, body)))

    rows = [
        {"key": asset_key(scope.tenant, asset_id), "tenantId": scope.tenant, "id": asset_id, **state.params()}
        for asset_id, state in states
    ]
    item_of = {row["key"]: n for n, row in enumerate(rows)}

    def work(tx: Tx) -> AssetBatchResult:
        created, now = 0, clock()
        for row in tx.run("asset_put_batch", rows=rows, now=now):
            if row["fresh"]:
                created += 1
            else:  # the same rule as one PUT; raising rolls the whole batch back
                with _item(item_of[asset_key(scope.tenant, row["id"])]):
                    check_existing(scope, row["id"], row["namespaceBefore"])
        if publish:
            outbox.publish_assets(tx, scope.tenant, [asset_from_row({**r, "created": now}) for r in rows], now)
        return AssetBatchResult(total=len(rows), created=created, replaced=len(rows) - created)

    return store.write(work)


@contextmanager
def _item(n: int) -> Iterator[None]:
    """Names the item of a batch in the field and detail of a domain error raised for it."""
    try:
        yield
    except DomainError as exc:
        exc.field = f"[{n}].{exc.field or 'id'}"
        exc.detail = f"item {n}: {exc.detail}"
        raise


def checked_write(scope: Scope, asset_id: str, body: AssetIn) -> AssetWrite:
    if body.id is not None and body.id != asset_id:
        raise InvalidInput(f"body id {body.id!r} differs from the id in the path {asset_id!r}", field="id")
    if body.tenantId is not None and body.tenantId != scope.tenant:
        raise InvalidInput(
            f"body tenantId {body.tenantId!r} differs from the tenant in the path {scope.tenant!r}",
            field="tenantId",
        )
    state = AssetWrite.from_input(body)
    require_write(scope, state.namespace)
    return state


def check_existing(scope: Scope, asset_id: str, namespace: str) -> None:
    """May the caller replace an asset that exists in `namespace`?"""
    if not scope.can_read(namespace):
        raise asset_missing(scope, asset_id)
    if not scope.can_write(namespace):
        raise Forbidden(f"no editor grant on namespace {namespace!r}", field="namespace")


def delete_asset(
    store: GraphStore, scope: Scope, asset_id: str, *, clock: Clock = now_iso, publish: bool = False
) -> Asset:
    def work(tx: Tx) -> Asset:
        writable_asset(tx, scope, asset_id)
        key, now = asset_key(scope.tenant, asset_id), clock()
        rows = tx.run("asset_delete", key=key, now=now, **binding.visibility(scope))
        asset = asset_from_row(rows[0]["a"])
        if publish:
            outbox.publish_assets(tx, scope.tenant, [asset], now)
        return asset

    return store.write(work)


def list_assets(
    store: GraphStore, scope: Scope, flt: AssetFilter, page: int = 1, size: int = limits.DEFAULT_PAGE_SIZE
) -> AssetPage:
    paging.check(page, size)
    params = flt.params(scope)

    def work(tx: Tx) -> AssetPage:
        if page == 1:
            rows = tx.run("asset_list", **params, skip=0, limit=size)
            # the whole answer fits on the first page: no second scan to count it
            total = len(rows) if len(rows) < size else int(tx.run("asset_count", **params)[0]["total"])
        else:
            total = int(tx.run("asset_count", **params)[0]["total"])
            past = paging.past_the_end(page, size, total)
            rows = [] if past else tx.run("asset_list", **params, skip=paging.skip(page, size), limit=size)
        return AssetPage(results=[asset_from_row(r["a"]) for r in rows], total=total)

    return store.read(work)


def all_assets(store: GraphStore, scope: Scope, flt: AssetFilter, batch: int = 1_000) -> list[Asset]:
    """Every matching asset (for `assets()`, shipping and export), read page by page."""
    out: list[Asset] = []
    page = 1
    while True:
        chunk = list_assets(store, scope, flt, page=page, size=batch)
        out.extend(chunk.results)
        if len(chunk.results) < batch:
            return out
        page += 1


# -- Kestra's asset operations: an update by its rules, search by query filters, bulk deletes -------------------

MAX_BULK = 10_000


class KestraAssetIn(msgspec.Struct, kw_only=True):
    """Body of Kestra's `POST /assets` (YAML or JSON). Fields Kestra's own responses carry are accepted and
    ignored, so an asset read from Kestra can be posted here as is. A null `displayName` / `description` keeps
    the stored one; `metadata` merges into the stored keys and a key set to null is removed."""

    id: str
    type: str | None = None
    namespace: str | None = None
    displayName: str | None = None
    description: str | None = None
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)


def merged(current: Asset | None, body: KestraAssetIn) -> AssetIn:
    """Kestra's update rules applied to what is stored."""
    stored: dict[str, Any] = msgspec.to_builtins(current) if current is not None else {}
    fields = {name: getattr(body, name) for name in ("type", "namespace", "displayName", "description")}
    fields = {name: value if value is not None else stored.get(name) for name, value in fields.items()}
    if not fields["type"]:
        raise InvalidInput("type: required to create an asset", field="type")
    metadata = {k: v for k, v in {**stored.get("metadata", {}), **body.metadata}.items() if v is not None}
    try:
        return msgspec.convert({**fields, "metadata": metadata}, AssetIn)
    except msgspec.ValidationError as exc:
        raise invalid_input(exc) from exc


def upsert_asset(
    store: GraphStore, scope: Scope, body: KestraAssetIn, *, clock: Clock = now_iso, publish: bool = False
) -> Asset:
    def work(tx: Tx) -> Asset:
        current = fetch_asset(tx, scope, body.id)
        state = checked_write(scope, body.id, merged(current, body))
        args = {"key": asset_key(scope.tenant, body.id), "tenantId": scope.tenant, "id": body.id, "now": clock()}
        row = tx.run("asset_put", **args, **state.params())[0]
        if not row["fresh"]:
            check_existing(scope, body.id, row["namespaceBefore"])
        asset = asset_from_row(row["a"])
        if publish:
            outbox.publish_assets(tx, scope.tenant, [asset], args["now"])
        return asset

    return store.write(work)


def search_assets(store: GraphStore, scope: Scope, flt: Filter, sort: Sort, *, page: int, size: int) -> AssetPage:
    def work(tx: Tx) -> AssetPage:
        total = tx.run("asset_search_count", **binding.asset_query_filter(scope, flt))[0]["total"]
        if paging.past_the_end(page, size, total):
            return AssetPage(results=[], total=int(total))
        rows = tx.run(*binding.asset_search(scope, flt, sort, page=page, size=size))
        return AssetPage(results=[asset_from_row(r["a"]) for r in rows], total=int(total))

    return run_filtered(store, flt, work)


class BulkResponse(msgspec.Struct):
    count: int


def delete_assets(
    store: GraphStore,
    scope: Scope,
    ids: list[str],
    *,
    purge: bool = False,
    clock: Clock = now_iso,
    publish: bool = False,
) -> BulkResponse:
    """Soft-delete (or, with `purge`, remove with their edges) every asset named that exists; one transaction.
    `publish`: each removal's DatasetEvent goes to the outbox in that transaction."""
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"more than {MAX_BULK} ids", field="body")
    return store.write(lambda tx: _remove_all(tx, scope, ids, purge=purge, now=clock(), publish=publish))


def delete_by_query(
    store: GraphStore,
    scope: Scope,
    flt: Filter,
    *,
    purge: bool = False,
    clock: Clock = now_iso,
    publish: bool = False,
) -> BulkResponse:
    """delete_assets for the assets the filters select, read in the same transaction that deletes them."""

    def work(tx: Tx) -> BulkResponse:
        def page(n: int) -> list[dict[str, Any]]:
            return tx.run(*binding.asset_search(scope, flt, Sort("id", False), page=n, size=limits.MAX_PAGE_SIZE))

        ids = [row["a"]["id"] for row in every_page(page, what="assets")]
        return _remove_all(tx, scope, ids, purge=purge, now=clock(), publish=publish)

    return run_filtered(store, flt, work, write=True)


def _remove_all(tx: Tx, scope: Scope, ids: list[str], *, purge: bool, now: str, publish: bool) -> BulkResponse:
    """Every asset named that the caller sees and that is not gone already, in three statements whatever their
    number: read them, check each may be written (one refusal refuses all), flag or remove them."""
    found = visible_assets(tx, scope, set(ids))
    targets = [found[i] for i in dict.fromkeys(ids) if i in found and (purge or not found[i].deleted)]
    for asset in targets:
        require_write(scope, asset.namespace)
    keys = [asset_key(scope.tenant, a.id) for a in targets]
    if not keys:
        removed: list[Asset] = []
    elif purge:
        tx.run("assets_purge", keys=keys)
        removed = [msgspec.structs.replace(a, deleted=True, updated=now) for a in targets]
    else:
        flagged = {r["a"]["id"]: asset_from_row(r["a"]) for r in tx.run("assets_soft_delete", keys=keys, now=now)}
        removed = [flagged[a.id] for a in targets]
    if publish:
        outbox.publish_assets(tx, scope.tenant, removed, now)
    return BulkResponse(count=len(removed))


def every_page(page: Callable[[int], list[dict[str, Any]]], *, what: str) -> list[dict[str, Any]]:
    """Every row of a paged query (pages of MAX_PAGE_SIZE), at most MAX_BULK: a bulk change larger than that is a
    400 asking for narrower filters, not a transaction without bound."""
    rows: list[dict[str, Any]] = []
    for n in itertools.count(1):
        batch = page(n)
        rows += batch
        if len(rows) > MAX_BULK:
            raise BadRequest(f"more than {MAX_BULK} {what} match: narrow the filters", field="filters")
        if len(batch) < limits.MAX_PAGE_SIZE:
            return rows
    raise AssertionError("unreachable")
