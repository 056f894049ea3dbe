// The LadybugDB schema, version 5 (see app/store/model.py: SCHEMA_VERSION).
// Every node table is keyed by a natural key string that starts with the tenant id, so uniqueness of
// (tenant, id) is the primary key's job, not the code's.
CREATE NODE TABLE IF NOT EXISTS SchemaInfo(key STRING PRIMARY KEY, version INT64, updated STRING);
CREATE NODE TABLE IF NOT EXISTS Asset(
    key STRING PRIMARY KEY, tenantId STRING, id STRING, namespace STRING, type STRING,
    displayName STRING, description STRING, metadata STRING, metaPairs STRING[],
    created STRING, updated STRING, deleted BOOLEAN, createdBy STRING, fingerprint STRING, version INT64
);
CREATE NODE TABLE IF NOT EXISTS AssetLock(
    key STRING PRIMARY KEY, tenantId STRING, holder STRING, ownerType STRING, executionId STRING, flowId STRING,
    flowNamespace STRING, taskRunId STRING, username STRING, acquiredAt STRING, lockedUntil STRING
);
CREATE NODE TABLE IF NOT EXISTS Execution(
    key STRING PRIMARY KEY, tenantId STRING, id STRING, namespace STRING, flowId STRING, flowRevision INT64,
    state STRING, startDate STRING, endDate STRING, recorded STRING, fingerprint STRING, document STRING
);
CREATE NODE TABLE IF NOT EXISTS Flow(
    key STRING PRIMARY KEY, tenantId STRING, namespace STRING, id STRING, revision INT64, source STRING,
    taskIds STRING[], fingerprint STRING, created STRING, updated STRING
);
CREATE NODE TABLE IF NOT EXISTS FlowRevision(
    key STRING PRIMARY KEY, tenantId STRING, namespace STRING, id STRING, revision INT64, source STRING,
    taskIds STRING[], fingerprint STRING, created STRING, updated STRING
);
CREATE NODE TABLE IF NOT EXISTS TaskSlot(
    key STRING PRIMARY KEY, tenantId STRING, flowKey STRING, namespace STRING, flowId STRING, taskId STRING,
    value STRING, executionKey STRING, date STRING, hasColumns BOOLEAN, slotKey STRING, assetKey STRING
);
CREATE REL TABLE IF NOT EXISTS READ(
    FROM Execution TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE REL TABLE IF NOT EXISTS WROTE(
    FROM Execution TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE REL TABLE IF NOT EXISTS FEEDS(
    FROM Asset TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE NODE TABLE IF NOT EXISTS LineageRun(
    key STRING PRIMARY KEY, tenantId STRING, runId STRING, namespace STRING, jobNamespace STRING, jobName STRING,
    state STRING, startTime STRING, endTime STRING, updated STRING, events INT64, fingerprint STRING,
    document STRING
);
CREATE NODE TABLE IF NOT EXISTS AssetColumn(
    key STRING PRIMARY KEY, tenantId STRING, assetKey STRING, name STRING, type STRING, description STRING
);
CREATE REL TABLE IF NOT EXISTS PARENT_OF(FROM LineageRun TO LineageRun);
CREATE REL TABLE IF NOT EXISTS HAS_COLUMN(FROM Asset TO AssetColumn);
CREATE REL TABLE IF NOT EXISTS DERIVES(
    FROM AssetColumn TO AssetColumn, executionKey STRING, taskId STRING, value STRING, date STRING, current BOOLEAN,
    transformations STRING
);
// v2 -> v3: new lineage edges are written to small tables of their own and moved into READ / WROTE / FEEDS when
// writes pause (cypher/fragments.cypher: reads(); app/store/ladybug.py: _Checkpointer), so that a checkpoint
// during continuous writes rewrites small tables, not the large ones.
CREATE REL TABLE IF NOT EXISTS READ_RECENT(
    FROM Execution TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE REL TABLE IF NOT EXISTS WROTE_RECENT(
    FROM Execution TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
CREATE REL TABLE IF NOT EXISTS FEEDS_RECENT(
    FROM Asset TO Asset, executionKey STRING, executionId STRING, namespace STRING, flowId STRING,
    taskId STRING, value STRING, date STRING, current BOOLEAN
);
// v5: the outbox (app/services/outbox.py; cypher/ladybug/schema_migrate_4_to_5.cypher brings a v4 store forward).
CREATE NODE TABLE IF NOT EXISTS OutboxEvent(
    seq INT64 PRIMARY KEY, tenantId STRING, kind STRING, created STRING, document STRING, events INT64
);
CREATE NODE TABLE IF NOT EXISTS OutboxCounter(key STRING PRIMARY KEY, seq INT64);
CREATE NODE TABLE IF NOT EXISTS OutboxSink(
    key STRING PRIMARY KEY, seq INT64, holder STRING, leaseUntil STRING, delivered INT64, lastError STRING,
    lastErrorAt STRING, updated STRING
);
CREATE NODE TABLE IF NOT EXISTS OutboxParked(
    key STRING PRIMARY KEY, sink STRING, seq INT64, tenantId STRING, runId STRING, reason STRING, document STRING,
    parked STRING
);
MERGE (c:OutboxCounter {key: 'outbox'}) ON CREATE SET c.seq = 0;
