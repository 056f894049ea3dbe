"""Reading a complete answer back from the store, to compare it with a baseline."""

from __future__ import annotations

from app.domain.access import open_scope
from app.domain.lineage import Traversal
from app.services import lineage
from app.store.base import GraphStore


def all_distances(store: GraphStore, tenant: str, asset_id: str, direction: str) -> dict[str, int]:
    scope = open_scope(tenant)
    out: dict[str, int] = {}
    page = 1
    while True:
        p = lineage.impact(
            store,
            scope,
            asset_id,
            direction,
            Traversal(),
            page=page,
            size=1000,  # type: ignore[arg-type]
            with_via=False,
        )
        out.update({i.id: i.distance for i in p.results if i.id is not None})
        if page * 1000 >= p.total:
            return out
        page += 1
