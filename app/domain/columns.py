"""Column-level lineage as the API answers it: an asset's columns, and the columns downstream (upstream) of one.

A column belongs to an asset and is seen under that asset's namespace grants. A route names each hop's column
and the transformations of that hop (`TYPE/SUBTYPE`, as the OpenLineage `columnLineage` facet gives them: DIRECT
IDENTITY, DIRECT AGGREGATION, INDIRECT JOIN, ...); an empty list means the producer did not say.
"""

from __future__ import annotations

import msgspec

from app.errors import InvalidInput

DEFAULT_COLUMN_DEPTH = 10
MAX_COLUMN_DEPTH = 100
DEFAULT_COLUMN_LIMIT = 1_000
MAX_COLUMN_LIMIT = 10_000


class Column(msgspec.Struct, kw_only=True):
    name: str
    type: str | None = None
    description: str | None = None


class AssetColumns(msgspec.Struct, kw_only=True):
    assetId: str
    columns: list[Column]


class ColumnHop(msgspec.Struct, kw_only=True):
    """One hop of a route: the column it arrives at (null fields: an asset the caller cannot see)."""

    assetId: str | None
    column: str | None
    transformations: list[str]


class ColumnReached(msgspec.Struct, kw_only=True):
    """A column reached from the start column, at its fewest hops; `visible` false: only its distance is shown."""

    distance: int
    visible: bool
    assetId: str | None = None
    namespace: str | None = None
    type: str | None = None
    column: str | None = None
    route: list[ColumnHop] = msgspec.field(default_factory=list)


class ColumnLineagePage(msgspec.Struct, kw_only=True):
    assetId: str
    column: str
    direction: str
    history: bool
    depth: int
    items: list[ColumnReached]
    truncated: bool


def check_column_bounds(depth: int | None, limit: int | None) -> tuple[int, int]:
    if depth is not None and not 1 <= depth <= MAX_COLUMN_DEPTH:
        raise InvalidInput(f"depth must be between 1 and {MAX_COLUMN_DEPTH}", field="depth")
    if limit is not None and not 1 <= limit <= MAX_COLUMN_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_COLUMN_LIMIT}", field="limit")
    return depth or DEFAULT_COLUMN_DEPTH, limit or DEFAULT_COLUMN_LIMIT


def transformations_of(stored: str | None) -> list[str]:
    return [t for t in (stored or "").split(",") if t]
