"""Running a search that the caller's query filters shape (Kestra's `filters[...]`): what the filters ask of the
database is checked by the database, and a search they make slow is stopped.

- A `REGEX` filter is compiled by the engine the database runs (LadybugDB: RE2, Neo4j: java.util.regex) before
  the search: a pattern that engine refuses is a 400 naming the filter, not an empty answer.
- A search with a regular expression gets a short time limit: a pattern that backtracks (Neo4j's engine does)
  is stopped by the database and answered 422, instead of holding a thread and a transaction for a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.domain.query_filters import Filter
from app.errors import BadRequest, QueryTimeout, SearchTooSlow
from app.store.base import GraphStore, Tx

T = TypeVar("T")

#: the time limit of a search whose filters hold a regular expression
REGEX_SEARCH_S = 5.0


def run_filtered(store: GraphStore, flt: Filter, work: Callable[[Tx], T], *, write: bool = False) -> T:
    patterns = flt.patterns()
    for leaf in patterns:
        error = store.regex_error(leaf.v)
        if error is not None:
            raise BadRequest(f"{leaf.name}: {leaf.v!r} is not a regular expression here ({error})", field=leaf.name)
    timeout = REGEX_SEARCH_S if patterns else None
    try:
        return (store.write if write else store.read)(work, timeout_s=timeout)
    except QueryTimeout as exc:
        if timeout is None:
            raise
        raise SearchTooSlow(
            f"the search ran longer than its {REGEX_SEARCH_S:g} s limit (a regular expression that backtracks, "
            f"such as {patterns[0].v!r}); simplify or narrow the filters",
            field=patterns[0].name,
        ) from exc
