"""The graph model: the only labels, relationship types and property keys any query may use.

This is the allow-list the engineering standards ask for. Queries come from `cypher/` files, never from
user input; the Neo4j Cypher check declares exactly these names, so a query that uses anything else fails CI.
"""

from __future__ import annotations

LABELS: tuple[str, ...] = (
    "Asset",
    "AssetLock",
    "Execution",
    "Flow",
    "FlowRevision",
    "TaskSlot",
    "SchemaInfo",
    "LineageRun",
    "AssetColumn",
    "OutboxEvent",
    "OutboxCounter",
    "OutboxSink",
    "OutboxParked",
)
REL_TYPES: tuple[str, ...] = (
    "READ",
    "WROTE",
    "FEEDS",
    "PARENT_OF",
    "HAS_COLUMN",
    "DERIVES",
    # LadybugDB only: where new READ / WROTE / FEEDS edges wait until writes pause (cypher/fragments.cypher: reads())
    "READ_RECENT",
    "WROTE_RECENT",
    "FEEDS_RECENT",
)

ASSET_PROPERTIES: tuple[str, ...] = (
    "key",
    "tenantId",
    "id",
    "namespace",
    "type",
    "displayName",
    "description",
    "metadata",
    "metaPairs",
    "created",
    "updated",
    "deleted",
    "createdBy",
    "fingerprint",
    "version",
)
EXECUTION_PROPERTIES: tuple[str, ...] = (
    "key",
    "tenantId",
    "id",
    "namespace",
    "flowId",
    "flowRevision",
    "state",
    "startDate",
    "endDate",
    "recorded",
    "fingerprint",
    "document",
)
FLOW_PROPERTIES: tuple[str, ...] = (
    "key",
    "tenantId",
    "namespace",
    "id",
    "revision",
    "source",
    "taskIds",
    "fingerprint",
    "created",
    "updated",
)
#: The holder of one output of a task slot (current lineage is decided per slot and output): `slotKey` is the slot's
#: key, `assetKey` the output's ('' for the slot's runs that write nothing).
TASK_SLOT_PROPERTIES: tuple[str, ...] = (
    "key",
    "slotKey",
    "assetKey",
    "tenantId",
    "flowKey",
    "namespace",
    "flowId",
    "taskId",
    "value",
    "executionKey",
    "date",
    "hasColumns",
)
EDGE_PROPERTIES: tuple[str, ...] = (
    "executionKey",
    "executionId",
    "namespace",
    "flowId",
    "taskId",
    "value",
    "date",
    "current",
)
#: An OpenLineage run as its events merged so far (one node per runId; `document` is the merged run).
RUN_PROPERTIES: tuple[str, ...] = (
    "key",
    "tenantId",
    "runId",
    "namespace",
    "jobNamespace",
    "jobName",
    "state",
    "startTime",
    "endTime",
    "updated",
    "events",
    "fingerprint",
    "document",
)
#: The outbox (app/services/outbox.py): OpenLineage events written with what they describe, numbered in commit order
#: by the one OutboxCounter (`seq`), delivered by each sink (OutboxSink: `seq` delivered so far, the process holding
#: its lease until `leaseUntil`); an event a receiver refused is set aside as an OutboxParked with its `reason`.
OUTBOX_PROPERTIES: tuple[str, ...] = (
    "seq",
    "key",
    "tenantId",
    "kind",
    "created",
    "document",
    "events",
    "holder",
    "leaseUntil",
    "delivered",
    "lastError",
    "lastErrorAt",
    "updated",
    "sink",
    "runId",
    "reason",
    "parked",
)
#: A column of an asset (from OpenLineage `schema` and `columnLineage` facets); DERIVES edges join columns.
COLUMN_PROPERTIES: tuple[str, ...] = ("key", "tenantId", "assetKey", "name", "type", "description", "transformations")
SCHEMA_INFO_PROPERTIES: tuple[str, ...] = ("key", "version", "updated")
#: One execution's (or user's) hold on an asset, keyed by the asset's key (Kestra's asset lock).
LOCK_PROPERTIES: tuple[str, ...] = (
    "key",
    "tenantId",
    "holder",
    "ownerType",
    "executionId",
    "flowId",
    "flowNamespace",
    "taskRunId",
    "username",
    "acquiredAt",
    "lockedUntil",
)
#: Keys of the parameter maps queries read (`row.sourceKey`; a filter leaf's `l.op`), checked like property keys.
PARAMETER_MAP_KEYS: tuple[str, ...] = (
    "sourceKey",
    "targetKey",
    "date",
    "s",
    "op",
    "v",
    "vs",
    "neg",
    "assetKey",
    "name",
    "type",
    "description",
    "transformations",
    "current",
    "key",
    "executionKey",
    "offset",
    "childKey",
    "parentKey",
)

PROPERTY_KEYS: tuple[str, ...] = tuple(
    sorted(
        set(ASSET_PROPERTIES)
        | set(EXECUTION_PROPERTIES)
        | set(FLOW_PROPERTIES)
        | set(TASK_SLOT_PROPERTIES)
        | set(EDGE_PROPERTIES)
        | set(SCHEMA_INFO_PROPERTIES)
        | set(LOCK_PROPERTIES)
        | set(RUN_PROPERTIES)
        | set(COLUMN_PROPERTIES)
        | set(OUTBOX_PROPERTIES)
        | set(PARAMETER_MAP_KEYS)
    )
)

#: Version of the graph schema this code reads and writes; stored in the (:SchemaInfo) node.
SCHEMA_VERSION = 5
