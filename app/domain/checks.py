"""Data-quality results about an asset, as producers report them (OpenLineage's `dataQualityAssertions` facet: dbt
sends one per test, on the dataset the test read). A table can read as fresh while its tests fail; these say so."""

from __future__ import annotations

import msgspec


class AssetCheck(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One assertion's result in one run: `assertion` (dbt: `not_null`, `unique`, ...), the `column` it is about."""

    assertion: str
    success: bool
    column: str | None = None
    actual: str | None = None
    executionId: str
    job: str
    state: str
    date: str


class AssetChecks(msgspec.Struct, kw_only=True):
    assetId: str
    #: the latest result of each (assertion, column), newest first
    latest: list[AssetCheck]
    passing: int
    failing: int
    #: every result found, newest first (the last `limit` runs that read the asset and reported some)
    history: list[AssetCheck]


def summarize(asset_id: str, history: list[AssetCheck]) -> AssetChecks:
    """The latest result of each check (history is newest first) and how many of those pass."""
    latest: dict[tuple[str, str | None], AssetCheck] = {}
    for check in history:
        latest.setdefault((check.assertion, check.column), check)
    kept = list(latest.values())
    passing = sum(1 for c in kept if c.success)
    return AssetChecks(assetId=asset_id, latest=kept, passing=passing, failing=len(kept) - passing, history=history)
