"""The blast radius of a change, whole: an impact (upstream) answer counted in one search (`summary`), and every
asset of it as rows for a file (`export_rows`), however many there are.

Both answer at the full depth asked, never at a drawing's: the headline of a page and the file a change review
attaches must not move with a control meant for the picture.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from app.domain import limits
from app.domain.access import Scope
from app.domain.assets import meta_prefix, pair_value
from app.domain.keys import asset_key
from app.domain.lineage import (
    HIDDEN_STEP,
    MAX_SUMMARY_KEYS,
    SUMMARY_TOP,
    Breakdown,
    DistanceCount,
    ExportRow,
    ImpactSummary,
    Traversal,
    ValueCount,
)
from app.errors import InvalidInput
from app.services import binding
from app.services.binding import Direction
from app.services.lineage import require_visible
from app.services.streaming import ReadStream
from app.store.base import GraphStore, Tx

Row = dict[str, Any]


def check_keys(keys: Iterable[str]) -> list[str]:
    """The metadata keys a summary or an export breaks down by: distinct, at most MAX_SUMMARY_KEYS."""
    chosen = list(dict.fromkeys(k.strip() for k in keys if k.strip()))
    if len(chosen) > MAX_SUMMARY_KEYS:
        raise InvalidInput(f"at most {MAX_SUMMARY_KEYS} metadata keys", field="keys")
    if any(len(k) > limits.MAX_METADATA_KEY for k in chosen):
        raise InvalidInput(f"a metadata key has at most {limits.MAX_METADATA_KEY} characters", field="keys")
    return chosen


def summary(
    store: GraphStore, scope: Scope, asset_id: str, direction: Direction, traversal: Traversal, keys: list[str]
) -> ImpactSummary:
    keys = check_keys(keys)

    def work(tx: Tx) -> list[Row]:
        require_visible(tx, scope, asset_id)
        key = asset_key(scope.tenant, asset_id)
        return tx.run(*binding.reach_summary(key, direction, traversal, scope, [meta_prefix(k) for k in keys]))

    groups = store.read(work)
    return _fold(groups, keys, asset_id, direction, traversal)


def _fold(
    groups: list[Row], keys: list[str], asset_id: str, direction: Direction, traversal: Traversal
) -> ImpactSummary:
    """The summary from the search's groups (distance, visible, deleted, namespace, type, pairs, reached)."""
    per_distance: Counter[int] = Counter()
    visible_at: Counter[int] = Counter()
    namespaces: Counter[str] = Counter()
    types: Counter[str] = Counter()
    values: dict[str, Counter[str]] = {k: Counter() for k in keys}
    prefixes = {meta_prefix(k): k for k in keys}
    deleted = 0
    for g in groups:
        n, distance = int(g["reached"]), int(g["distance"])
        per_distance[distance] += n
        if not g["visible"]:
            continue
        visible_at[distance] += n
        deleted += n if g["deleted"] else 0
        namespaces[g["namespace"] or ""] += n
        types[g["type"]] += n
        for key, value in _chosen(g["pairs"], prefixes).items():
            values[key][value] += n
    visible = sum(visible_at.values())
    return ImpactSummary(
        asset=asset_id,
        direction=direction,
        **traversal.echo(),
        total=sum(per_distance.values()),
        visible=visible,
        hidden=sum(per_distance.values()) - visible,
        deleted=deleted,
        byDistance=[DistanceCount(d, per_distance[d], visible_at[d]) for d in sorted(per_distance)],
        byNamespace=_breakdown(namespaces, visible, blank=""),
        byType=_breakdown(types, visible),
        byMetadata={k: _breakdown(values[k], visible) for k in keys},
    )


def _chosen(pairs: list[str] | None, prefixes: dict[str, str]) -> dict[str, str]:
    """The chosen metadata of an asset, by key, from its pairs the query picked by prefix."""
    chosen = {}
    for pair in pairs or []:
        key = next(k for p, k in prefixes.items() if pair.startswith(p))
        chosen[key] = pair_value(pair)
    return chosen


def _breakdown(counts: Counter[str], visible: int, blank: str | None = None) -> Breakdown:
    """The most frequent values first (ties by value); `blank` counts as holding no value."""
    if blank is not None:
        counts.pop(blank, None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top = [ValueCount(v, n) for v, n in ranked[:SUMMARY_TOP]]
    held = sum(counts.values())
    return Breakdown(values=top, others=held - sum(c.count for c in top), missing=visible - held)


#: Rows handed on at a time: big enough that a stream moves in a few hundred pieces, small enough to hold.
EXPORT_BATCH = 500


def export(
    store: GraphStore, scope: Scope, asset_id: str, direction: Direction, traversal: Traversal, keys: list[str]
) -> ReadStream[list[ExportRow]]:
    """Every asset of the answer in batches, nearest first, read in one transaction as the consumer takes them."""
    keys = check_keys(keys)
    store.read(lambda tx: require_visible(tx, scope, asset_id))
    return ReadStream(store, lambda tx: _batches(_export_rows(tx, scope, asset_id, direction, traversal, keys)))


def _batches(rows: Iterator[ExportRow]) -> Iterator[list[ExportRow]]:
    batch: list[ExportRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == EXPORT_BATCH:
            yield batch
            batch = []
    yield batch  # the last, maybe empty: a stream always has a first piece


def _export_rows(
    tx: Tx, scope: Scope, asset_id: str, direction: Direction, traversal: Traversal, keys: list[str]
) -> Iterator[ExportRow]:
    """Rows in distance order; a route is the route to the asset one hop nearer, plus that asset. Only the
    routes of the last level and of this one are held."""
    start = asset_key(scope.tenant, asset_id)
    prefixes = {meta_prefix(k): k for k in keys}
    nearer: dict[str, tuple[str, ...]] = {start: ()}
    here: dict[str, tuple[str, ...]] = {}
    level = 1
    for r in tx.each(*binding.reach_export(start, direction, traversal, scope, list(prefixes))):
        distance = int(r["distance"])
        if distance != level:
            nearer, here, level = here, {}, distance
        route = nearer.get(r["parent"], ())
        here[r["key"]] = (*route, r["id"] if r["visible"] else HIDDEN_STEP)
        if not r["visible"]:
            yield ExportRow(distance=distance, hidden=True)
            continue
        yield _export_row(scope, r, distance, route, prefixes)


def _export_row(scope: Scope, r: Row, distance: int, route: tuple[str, ...], prefixes: dict[str, str]) -> ExportRow:
    step = scope.can_read(r["stepNamespace"])  # the task run of the last step, unless its namespace is hidden
    metadata = _chosen(r["pairs"], prefixes)
    return ExportRow(
        distance=distance,
        id=r["id"],
        namespace=r["namespace"] or None,
        type=r["type"],
        displayName=r["displayName"],
        deleted=bool(r["deleted"]),
        route=list(route),
        flowNamespace=r["stepNamespace"] if step else None,
        flowId=r["flowId"] if step else None,
        taskId=r["taskId"] if step else None,
        executionId=r["executionId"] if step else None,
        metadata=metadata,
    )
