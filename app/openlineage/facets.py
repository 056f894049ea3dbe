"""The custom facets this service writes (OpenLineage requires `_producer` and `_schemaURL` on each)."""

from __future__ import annotations

from typing import Any

import attr
from openlineage.client.generated.base import DatasetFacet, RunFacet

SCHEMA_BASE = "https://github.com/lineage-service/lineage/blob/main/app/openlineage/schema/facets/"


@attr.define
class KestraAssetDatasetFacet(DatasetFacet):
    """The asset behind a dataset: its id, type, namespace and metadata, exactly as stored."""

    tenantId: str
    id: str
    type: str
    namespace: str | None = attr.field(default=None)
    displayName: str | None = attr.field(default=None)
    metadata: dict[str, Any] = attr.field(factory=dict)
    assetDeleted: bool = attr.field(default=False)

    @staticmethod
    def _get_schema() -> str:
        return SCHEMA_BASE + "KestraAssetDatasetFacet.json#/$defs/KestraAssetDatasetFacet"


@attr.define
class KestraTaskRunRunFacet(RunFacet):
    """Which Kestra-style task run an OpenLineage run stands for; ingest uses it to rebuild the same slots."""

    tenantId: str
    executionId: str
    namespace: str
    flowId: str
    taskId: str
    value: str | None = attr.field(default=None)
    state: str = attr.field(default="SUCCESS")
    startDate: str | None = attr.field(default=None)

    @staticmethod
    def _get_schema() -> str:
        return SCHEMA_BASE + "KestraTaskRunRunFacet.json#/$defs/KestraTaskRunRunFacet"
