"""Holds on assets, Kestra's locks: one execution (or user) holds an asset for a time, others get a 409 until it is
released or expires. Each operation is one unit of work."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from app.domain import limits
from app.domain.access import Scope
from app.domain.assets import AssetLock
from app.domain.executions import ExecutionId
from app.domain.keys import asset_key
from app.errors import Conflict, InvalidInput
from app.services import binding
from app.services.assets import asset_missing, lock_from_row, require_write, writable_asset
from app.store.base import GraphStore, Tx
from app.timeutil import Clock, now_iso, parse_iso, to_iso

DEFAULT_TTL = timedelta(hours=1)
MAX_TTL = timedelta(days=7)
MIN_TTL = timedelta(seconds=1)
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class LockRequest(msgspec.Struct, kw_only=True):
    """Body of `POST /assets/{id}/lock`: `ttl` an ISO-8601 duration (default PT1H, at least a second, at most
    P7D); `executionId` the execution the hold is for (the rule of every execution id)."""

    ttl: Annotated[str, Meta(max_length=64)] | None = None
    executionId: ExecutionId | None = None
    flowId: Annotated[str, Meta(max_length=100)] | None = None
    flowNamespace: Annotated[str, Meta(max_length=limits.MAX_NAMESPACE)] | None = None
    taskRunId: Annotated[str, Meta(max_length=limits.MAX_ID)] | None = None


def ttl_of(text: str | None) -> timedelta:
    if not text:
        return DEFAULT_TTL
    m = _DURATION.match(text.strip().upper())
    if not m or not any(m.groups()):
        raise InvalidInput(f"ttl: {text!r} is not an ISO-8601 duration such as PT1H", field="ttl")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds  # a float: P99999999999D does not overflow it
    if not MIN_TTL.total_seconds() <= total <= MAX_TTL.total_seconds():
        raise InvalidInput(f"ttl: {text!r} is not between a second and {MAX_TTL.days} days", field="ttl")
    return timedelta(seconds=total)


def _holder(scope: Scope, execution_id: str | None) -> str:
    """Who a lock belongs to: the caller (its token), and the execution it names. What a client claims is never
    enough: another token naming the same execution is another holder."""
    return f"{scope.identity} execution:{execution_id}" if execution_id else scope.identity


def lock_asset(
    store: GraphStore, scope: Scope, asset_id: str, req: LockRequest, *, clock: Clock = now_iso
) -> AssetLock:
    """Hold an asset for one execution (or this user) until the ttl runs out; a second holder is a 409, the
    same holder asking again extends its hold."""
    ttl = ttl_of(req.ttl)
    holder = _holder(scope, req.executionId)

    def work(tx: Tx) -> AssetLock:
        now = clock()
        key = asset_key(scope.tenant, asset_id)
        rows = tx.run("asset_lock_take", key=key, tenantId=scope.tenant, **binding.visibility(scope))
        if not rows:
            raise asset_missing(scope, asset_id)
        namespace = rows[0]["namespace"]
        require_write(scope, namespace)
        lock = tx.run("asset_lock_row", key=key)[0]["l"]
        if lock["holder"] not in ("", holder) and lock["lockedUntil"] > now:
            raise Conflict(f"asset {asset_id!r} is locked by {_held_by(lock)} until {lock['lockedUntil']}", field="id")
        props = {
            "holder": holder,
            "ownerType": "EXECUTION" if req.executionId else "USER",
            "executionId": req.executionId,
            "flowId": req.flowId,
            "flowNamespace": req.flowNamespace,
            "taskRunId": req.taskRunId,
            "username": None if req.executionId else scope.principal,
            "acquiredAt": now,
            "lockedUntil": to_iso(parse_iso(now) + ttl),
        }
        tx.run("asset_lock_set", key=key, **props)
        return lock_from_row(props, namespace)

    return store.write(work)


def _admin_releases(scope: Scope, lock: dict[str, Any], execution_id: str | None) -> bool:
    """A tenant admin releases any hold: the one of the execution it names, or whichever there is when it names
    none (a hold whose holder is gone would otherwise last its ttl, up to 7 days)."""
    return scope.admin and (execution_id is None or lock.get("executionId") == execution_id)


def _held_by(lock: dict[str, Any]) -> str:
    """Who holds a lock, as a message says it (the execution, or the token's name; never a token id)."""
    return f"execution:{lock['executionId']}" if lock.get("executionId") else f"user:{lock.get('username') or '?'}"


def unlock_asset(store: GraphStore, scope: Scope, asset_id: str, execution_id: str | None) -> None:
    """Release a hold. Owner-checked: only its holder (the same token, naming the same execution) releases it, and
    a tenant admin releases any; anything else is a no-op, so a release can run unconditionally after the work."""
    holder = _holder(scope, execution_id)

    def work(tx: Tx) -> None:
        writable_asset(tx, scope, asset_id)
        rows = tx.run("asset_lock_get", key=asset_key(scope.tenant, asset_id))
        if rows and (rows[0]["l"]["holder"] == holder or _admin_releases(scope, rows[0]["l"], execution_id)):
            tx.run("asset_lock_clear", key=asset_key(scope.tenant, asset_id))

    store.write(work)
