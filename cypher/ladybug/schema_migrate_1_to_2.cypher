// v1 -> v2: OpenLineage runs merged per runId (LineageRun, PARENT_OF) and column-level lineage
// (Column, HAS_COLUMN, DERIVES); a task slot says whether its execution drew column edges.
ALTER TABLE TaskSlot ADD hasColumns BOOLEAN DEFAULT false;
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
