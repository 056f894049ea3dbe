"""The data-quality results reported about an asset (dbt's tests, through OpenLineage): the latest of each check and
their history, found in the runs that read it."""

from __future__ import annotations

import msgspec

from app.domain.access import Scope
from app.domain.checks import AssetCheck, AssetChecks, summarize
from app.domain.keys import asset_key
from app.errors import InvalidInput
from app.openlineage.ingest import QUALITY_FACET, quality_assertions
from app.packing import unpack
from app.services import binding
from app.services.assets import asset_missing
from app.store.base import GraphStore, Tx

DEFAULT_RUNS = 200
MAX_RUNS = 2_000


def asset_checks(store: GraphStore, scope: Scope, asset_id: str, *, runs: int = DEFAULT_RUNS) -> AssetChecks:
    """The checks reported about `asset_id` by the latest `runs` runs that read it and reported any."""
    if not 1 <= runs <= MAX_RUNS:
        raise InvalidInput(f"runs must be between 1 and {MAX_RUNS}", field="runs")
    key = asset_key(scope.tenant, asset_id)

    def work(tx: Tx) -> AssetChecks:
        visible = binding.visibility(scope)
        if not tx.run("asset_get", key=key, **visible):
            raise asset_missing(scope, asset_id)
        history: list[AssetCheck] = []
        for row in tx.run("asset_checks", key=key, facet=QUALITY_FACET, **visible, limit=runs):
            event = msgspec.json.decode(unpack(row["document"])).get("openlineage") or {}
            history += [
                AssetCheck(
                    assertion=str(a["assertion"]),
                    success=bool(a.get("success")),
                    column=str(a["column"]) if a.get("column") else None,
                    actual=str(a["actual"]) if a.get("actual") is not None else None,
                    executionId=row["executionId"],
                    job=row["job"],
                    state=row["state"],
                    date=row["date"],
                )
                for a in quality_assertions(event, asset_id, scope.tenant)
            ]
        return summarize(asset_id, history)

    return store.read(work)
