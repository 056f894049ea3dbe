"""Natural keys of every node, in one place.

Tenant ids cannot contain `/`, so `tenant/id` is unambiguous for assets and executions; keys built from
several free-form parts are JSON arrays, which are unambiguous whatever the parts contain.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # how json.dumps(..., ensure_ascii=False) writes a string

from app.memo import cached_if_short


def _compound(*parts: str | int) -> str:
    """The JSON array of `parts`, compact, as `json.dumps(parts, ensure_ascii=False, separators=(",", ":"))`
    writes it (stored keys are that text), built directly: an OpenLineage batch builds tens of thousands."""
    return "[" + ",".join(encode_basestring(p) if isinstance(p, str) else json.dumps(p) for p in parts) + "]"


def asset_key(tenant: str, asset_id: str) -> str:
    return f"{tenant}/{asset_id}"


def execution_key(tenant: str, execution_id: str) -> str:
    return f"{tenant}/{execution_id}"


def lineage_run_key(tenant: str, run_id: str) -> str:
    return f"{tenant}/{run_id}"


def flow_key(tenant: str, namespace: str, flow_id: str) -> str:
    return _compound(tenant, namespace, flow_id)


def flow_revision_key(tenant: str, namespace: str, flow_id: str, revision: int) -> str:
    return _compound(tenant, namespace, flow_id, revision)


def task_slot_key(tenant: str, namespace: str, flow_id: str, task_id: str, value: str) -> str:
    return _compound(tenant, namespace, flow_id, task_id, value)


def output_slot_key(slot_key: str, output_key: str) -> str:
    """The key of one output of a task slot: current lineage is decided per (slot, output asset). A slot's runs that
    wrote nothing share the slot's own key. (A slot key is a JSON array, which ends where its text says: what
    follows cannot make two pairs one key.)"""
    return f"{slot_key}|{output_key}" if output_key else slot_key


@cached_if_short(maxsize=1 << 14)
def column_key(tenant: str, asset_id: str, name: str) -> str:
    """Cached: a batch of runs names the same columns again and again (each run of a job, each edge of a column)."""
    return _compound(tenant, asset_id, name)


def column_of(key: str) -> tuple[str, str]:
    """(asset id, column name) of a column key."""
    _tenant, asset_id, name = json.loads(key)
    return str(asset_id), str(name)
