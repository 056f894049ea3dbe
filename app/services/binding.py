"""How the service's objects become the names and parameters of the queries in `cypher/`.

It owns the names of the queries whose arguments come from a `Scope`, a `Traversal` or query filters: the lineage
searches (`reach_*`, chosen by direction and time window), the column searches, the asset list and Kestra's
searches; and the flags that switch a filter off and the sentinels that fill an unused list. Services name their
other queries themselves (`tx.run("asset_get", ...)`), with `visibility(scope)` for the namespace rule. The domain
states the rules (who sees what, which edges a traversal follows); this turns them into arguments, and the store
checks those against each file's header.

Unused lists hold a sentinel rather than being empty: LadybugDB cannot type an empty list parameter, and a hot
read query declares none nullable. Each sentinel is a value no stored value can equal, one per kind of list.
"""

from __future__ import annotations

from typing import Any, Literal

from app.domain import paging
from app.domain.access import Scope
from app.domain.assets import meta_pair
from app.domain.columns import DEFAULT_COLUMN_DEPTH
from app.domain.lineage import MAX_SUMMARY_KEYS, Traversal
from app.domain.query_filters import Filter, Sort
from app.domain.types import equivalent_types

Direction = Literal["downstream", "upstream"]
Args = dict[str, Any]

#: No namespace is `!` or starts with `!.` (namespaces are dot-separated [A-Za-z0-9_-] segments).
_NO_GRANTS = ["!"]
#: A type is 1 to 256 printable characters.
_NO_TYPES = [""]
#: A metadata pair is the JSON text of a two-element array (app/domain/assets.py: meta_pair).
_NO_PAIRS = [""]
#: An asset id is 1 to 512 printable characters.
_NO_IDS = [""]
#: A metadata pair starts with `[`: no pair starts with this.
_NO_PREFIX = "!"
#: The bounds of an open time window: every stored date (fixed-width ISO 8601 text) lies between them.
_EARLIEST, _LATEST = "", "\uffff"


def visibility(scope: Scope) -> Args:
    """What a read query needs to filter by namespace inside the database (the `visible()` fragment)."""
    grants = sorted(p for p in scope.read if p != "*")
    return {"allNamespaces": scope.reads_all, "namespaces": grants or _NO_GRANTS}


def unrestricted() -> Args:
    """Visibility for the service's own bookkeeping (does this asset exist at all?), never for an answer."""
    return {"allNamespaces": True, "namespaces": _NO_GRANTS}


def type_and_namespace(type_: str | None, namespace: str | None) -> Args:
    """The `type` (either spelling) and `namespace` (itself and its children) filters; unset means all."""
    return {
        "allTypes": not type_,
        "types": equivalent_types(type_) if type_ else _NO_TYPES,
        "anyNamespace": not namespace,
        "namespace": namespace or "",
    }


def asset_filters(
    scope: Scope, *, q: str | None, type_: str | None, namespace: str | None, metadata: dict[str, Any], deleted: bool
) -> Args:
    """The filters of asset_list.cypher / asset_count.cypher."""
    pairs = sorted(meta_pair(k, v) for k, v in metadata.items())
    return {
        "tenantId": scope.tenant,
        "anyId": not q,
        "q": (q or "").lower(),
        **type_and_namespace(type_, namespace),
        "anyMetadata": not pairs,
        "metaPairs": pairs or _NO_PAIRS,
        "includeDeleted": deleted,
        **visibility(scope),
    }


# -- lineage ---------------------------------------------------------------------------------------------------


def _name(question: str, direction: Direction, traversal: Traversal) -> str:
    """reach_<question>_<direction>[_window]: the variants of cypher/*/reach_<question>.cypher."""
    return f"reach_{question}_{direction}" + ("_window" if traversal.window else "")


def _walks(traversal: Traversal) -> Args:
    """Which edges a search follows: the `walks()` fragment's parameters for this traversal."""
    if traversal.window:
        return {"after": traversal.after or _EARLIEST, "before": traversal.before or _LATEST}
    return {"history": traversal.history}


def reach_counts(key: str, direction: Direction, traversal: Traversal, scope: Scope, filters: Args) -> tuple[str, Args]:
    """Assets reached at each distance (`filters` from `type_and_namespace`)."""
    args = {"key": key, "maxDepth": traversal.depth, **_walks(traversal), **filters, **visibility(scope)}
    return _name("counts", direction, traversal), args


def reach_summary(
    key: str, direction: Direction, traversal: Traversal, scope: Scope, prefixes: list[str]
) -> tuple[str, Args]:
    """Assets reached, grouped for a summary; `prefixes` (at most MAX_SUMMARY_KEYS) pick the metadata pairs."""
    args = {"key": key, "maxDepth": traversal.depth, **_walks(traversal), **visibility(scope), **_slots(prefixes)}
    return _name("summary", direction, traversal), args


def reach_export(
    key: str, direction: Direction, traversal: Traversal, scope: Scope, prefixes: list[str]
) -> tuple[str, Args]:
    """Every asset reached, nearest first, with the last step of a shortest route to each."""
    args = {"key": key, "maxDepth": traversal.depth, **_walks(traversal), **visibility(scope), **_slots(prefixes)}
    return _name("export", direction, traversal), args


def _slots(prefixes: list[str]) -> Args:
    """The `k1`..`k5` slots of the `chosen_pairs()` fragment: the prefixes of the metadata keys asked for."""
    if len(prefixes) > MAX_SUMMARY_KEYS:
        raise ValueError(f"at most {MAX_SUMMARY_KEYS} metadata keys")
    slots = [*prefixes, *[_NO_PREFIX] * (MAX_SUMMARY_KEYS - len(prefixes))]
    return {f"k{i}": p for i, p in enumerate(slots, 1)}


def reach_page(
    key: str,
    direction: Direction,
    traversal: Traversal,
    scope: Scope,
    filters: Args,
    *,
    last_distance: int,
    skip: int,
    limit: int,
) -> tuple[str, Args]:
    """One page of the answer; the search stops at the page's last distance."""
    args = {
        "key": key,
        "maxDepth": min(traversal.depth, last_distance),
        **_walks(traversal),
        **filters,
        **visibility(scope),
        "skip": skip,
        "limit": limit,
    }
    return _name("page", direction, traversal), args


def reach_routes(
    key: str, direction: Direction, traversal: Traversal, *, last_distance: int, targets: list[str]
) -> tuple[str, Args]:
    """One shortest route to each of `targets` (asset keys), all within `last_distance` hops."""
    args = {"key": key, "maxDepth": min(traversal.depth, last_distance), **_walks(traversal), "targets": targets}
    return _name("routes", direction, traversal), args


def reach_direct(key: str, direction: Direction, traversal: Traversal, targets: list[str]) -> tuple[str, Args]:
    """The edges between the start and `targets` one hop away: their routes, without a search."""
    return _name("direct", direction, traversal), {"key": key, **_walks(traversal), "targets": targets}


def reach_nearest(key: str, direction: Direction, traversal: Traversal, scope: Scope, limit: int) -> tuple[str, Args]:
    """The nearest `limit` assets, for a drawing."""
    args = {"key": key, "maxDepth": traversal.depth, **_walks(traversal), **visibility(scope), "limit": limit}
    return _name("nearest", direction, traversal), args


def reach_children(
    keys: list[str], drawn: list[str], direction: Direction, traversal: Traversal, scope: Scope
) -> tuple[str, Args]:
    """The assets one hop from `keys` not in `drawn`, grouped for a drawing."""
    args = {"keys": keys, "drawn": drawn, **_walks(traversal), **visibility(scope)}
    return _name("children", direction, traversal), args


def lineage_edges(keys: list[str], traversal: Traversal, limit: int) -> tuple[str, Args]:
    """The FEEDS edges among `keys` that this traversal follows."""
    args = {
        "keys": keys,
        "history": traversal.history,
        "after": traversal.after,
        "before": traversal.before,
        "limit": limit,
    }
    return "lineage_edges", args


def first_questions(traversal: Traversal | None = None) -> list[tuple[str, Args]]:
    """The lineage questions with the arguments of a server's first requests (default depth, page and cap), for
    assets that do not exist: run at start so that Neo4j plans their texts (seconds each: the searches unroll their
    levels) before the first caller asks, not while it waits. Planning, not answering, is the point. Neo4j keeps a
    plan per parameter types and, by default, per size of each string and list parameter, in buckets (on 5.26: 0,
    1, 2-9, 10-1,000 characters or items, ...; compose.yaml turns the buckets off, Aura cannot): an asset key is one
    of 10-1,000 characters, lists of targets take every size a page gives. `traversal`: other edges than a first
    request's (the history, a time window), each its own text."""
    traversal, nobody = traversal or Traversal.build(None, False, None, None), Scope(tenant="-")
    key = "lineage/first-questions"  # an asset key's length: no real key is shorter than "<tenant>/<id>"
    filters = type_and_namespace(None, None)
    lists = [[key] * n for n in (1, 5, 50)]
    calls: list[tuple[str, Args]] = []
    for d in ("downstream", "upstream"):
        direction: Direction = d  # type: ignore[assignment]
        calls += [
            reach_counts(key, direction, traversal, nobody, filters),
            reach_summary(key, direction, traversal, nobody, []),
            reach_export(key, direction, traversal, nobody, []),
            reach_page(key, direction, traversal, nobody, filters, last_distance=traversal.depth, skip=0, limit=1),
            reach_nearest(key, direction, traversal, nobody, 1),
            *(reach_children(keys, keys, direction, traversal, nobody) for keys in lists),
            column_reach(key, direction, history=False, depth=DEFAULT_COLUMN_DEPTH, scope=nobody, limit=1),
            *(reach_direct(key, direction, traversal, targets) for targets in lists),
            *(
                reach_routes(key, direction, traversal, last_distance=n, targets=targets)
                for n in range(2, 5)
                for targets in lists
            ),
        ]
    return [*calls, *(lineage_edges(keys, traversal, 1) for keys in lists)]


#: A leaf no value passes (an `in` test on an empty-string list, negated by nothing), standing in for "no filters":
#: the `unfiltered` flag switches the test off and LadybugDB still gets a typed list.
_NO_LEAF = {"s": "id", "op": "in", "v": "", "vs": [""], "neg": False}


def query_filter(scope: Scope, flt: Filter) -> Args:
    """Kestra's query filters for the asset_passes / usage_passes fragments."""
    return {
        "tenantId": scope.tenant,
        "unfiltered": not flt.any_of,
        "anyOf": flt.as_param() if flt.any_of else [[_NO_LEAF]],
        **visibility(scope),
    }


def asset_query_filter(scope: Scope, flt: Filter) -> Args:
    """query_filter, plus what every alternative requires as cheap tests (metadata pairs, a namespace and its
    children, a type, ids, a text to search), tested before the whole filter (see asset_search.cypher)."""
    required = flt.required()
    pairs = sorted({leaf.vs[0] for leaf in required if leaf.s == "meta" and not leaf.neg and len(leaf.vs) == 1})
    namespace = next((leaf.v for leaf in required if leaf.s == "namespace" and leaf.op == "prefix"), None)
    types = next((list(leaf.vs) for leaf in required if leaf.s == "type" and leaf.op == "in" and not leaf.neg), None)
    ids = next((list(leaf.vs) for leaf in required if leaf.s == "id" and leaf.op == "in" and not leaf.neg), None)
    text = next((leaf.v for leaf in required if leaf.s == "text"), None)
    return {
        **query_filter(scope, flt),
        "anyMetadata": not pairs,
        "metaPairs": pairs or _NO_PAIRS,
        "anyNamespace": namespace is None,
        "namespace": namespace or "",
        "allTypes": types is None,
        "types": types or _NO_TYPES,
        "anyId": ids is None,
        "ids": ids or _NO_IDS,
        "anyText": text is None,
        "text": text or "",
    }


def asset_search(scope: Scope, flt: Filter, sort: Sort, *, page: int, size: int) -> tuple[str, Args]:
    name = "asset_search_desc" if sort.descending else "asset_search_asc"
    return name, {**asset_query_filter(scope, flt), "sortKey": sort.key, "skip": paging.skip(page, size), "limit": size}


def usage_search(scope: Scope, flt: Filter, *, descending: bool, page: int, size: int) -> tuple[str, Args]:
    name = "usage_search_desc" if descending else "usage_search_asc"
    return name, {**query_filter(scope, flt), "skip": paging.skip(page, size), "limit": size}


def usage_delete(usage: Args) -> list[tuple[str, Args]]:
    """The two statements that delete one usage (a row of usage_search) and the lineage it made."""
    relation = "read" if usage["relation"] == "READ" else "wrote"
    args = {k: usage[k] for k in ("executionKey", "assetKey", "taskId", "value")}
    return [(f"usage_feeds_delete_{relation}", args), (f"usage_delete_{relation}", args)]


# -- columns ---------------------------------------------------------------------------------------------------


def column_reach(
    key: str, direction: Direction, *, history: bool, depth: int, scope: Scope, limit: int
) -> tuple[str, Args]:
    """Columns downstream (upstream) of a column: cypher/*/column_reach.cypher."""
    args = {"key": key, "maxDepth": depth, "history": history, **visibility(scope), "limit": limit}
    return f"column_reach_{direction}", args
