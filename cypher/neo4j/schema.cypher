// The Neo4j schema, version 5 (see app/store/model.py: SCHEMA_VERSION). Idempotent: run at every start.
// Natural keys are unique by constraint; `key` is "<tenant>/<id>" and (tenantId, id) is unique as well.
CREATE CONSTRAINT schema_info_key IF NOT EXISTS FOR (s:SchemaInfo) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT asset_key IF NOT EXISTS FOR (a:Asset) REQUIRE a.key IS UNIQUE;
CREATE CONSTRAINT asset_tenant_id IF NOT EXISTS FOR (a:Asset) REQUIRE (a.tenantId, a.id) IS UNIQUE;
CREATE CONSTRAINT asset_lock_key IF NOT EXISTS FOR (l:AssetLock) REQUIRE l.key IS UNIQUE;
CREATE CONSTRAINT execution_key IF NOT EXISTS FOR (e:Execution) REQUIRE e.key IS UNIQUE;
CREATE CONSTRAINT execution_tenant_id IF NOT EXISTS FOR (e:Execution) REQUIRE (e.tenantId, e.id) IS UNIQUE;
CREATE CONSTRAINT flow_key IF NOT EXISTS FOR (f:Flow) REQUIRE f.key IS UNIQUE;
CREATE CONSTRAINT flow_revision_key IF NOT EXISTS FOR (r:FlowRevision) REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT task_slot_key IF NOT EXISTS FOR (s:TaskSlot) REQUIRE s.key IS UNIQUE;
CREATE INDEX asset_tenant IF NOT EXISTS FOR (a:Asset) ON (a.tenantId);
CREATE INDEX asset_tenant_type IF NOT EXISTS FOR (a:Asset) ON (a.tenantId, a.type);
CREATE INDEX asset_tenant_namespace IF NOT EXISTS FOR (a:Asset) ON (a.tenantId, a.namespace);
CREATE INDEX execution_tenant_date IF NOT EXISTS FOR (e:Execution) ON (e.tenantId, e.startDate);
CREATE INDEX task_slot_flow IF NOT EXISTS FOR (s:TaskSlot) ON (s.flowKey);
CREATE INDEX feeds_execution IF NOT EXISTS FOR ()-[f:FEEDS]-() ON (f.executionKey);
CREATE CONSTRAINT lineage_run_key IF NOT EXISTS FOR (r:LineageRun) REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT column_key IF NOT EXISTS FOR (c:AssetColumn) REQUIRE c.key IS UNIQUE;
CREATE INDEX derives_execution IF NOT EXISTS FOR ()-[d:DERIVES]-() ON (d.executionKey);
CREATE CONSTRAINT outbox_event_seq IF NOT EXISTS FOR (o:OutboxEvent) REQUIRE o.seq IS UNIQUE;
CREATE CONSTRAINT outbox_counter_key IF NOT EXISTS FOR (c:OutboxCounter) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT outbox_sink_key IF NOT EXISTS FOR (s:OutboxSink) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT outbox_parked_key IF NOT EXISTS FOR (p:OutboxParked) REQUIRE p.key IS UNIQUE;
CREATE INDEX outbox_event_tenant IF NOT EXISTS FOR (o:OutboxEvent) ON (o.tenantId);
MERGE (c:OutboxCounter {key: 'outbox'}) ON CREATE SET c.seq = 0;

// Every label, relationship type and property key of the model (app/store/model.py) exists as a token from the start:
// a query planned before the database holds such a thing names an unknown token, and Neo4j plans it again once the
// token appears, so a fresh server's first answers would wait for planning after all (app/asgi.py: plan). Tokens
// outlive what made them: the node and its edges are gone when the statement ends.
CREATE (n:Asset:AssetLock:Execution:Flow:FlowRevision:TaskSlot:SchemaInfo:LineageRun:AssetColumn:OutboxEvent:OutboxCounter:OutboxSink:OutboxParked {
    acquiredAt: '', assetKey: '', childKey: '', created: '', createdBy: '', current: '', date: '',
    deleted: '', delivered: '', description: '', displayName: '', document: '', endDate: '',
    endTime: '', events: '', executionId: '', executionKey: '', fingerprint: '', flowId: '',
    flowKey: '', flowNamespace: '', flowRevision: '', hasColumns: '', holder: '', id: '',
    jobName: '', jobNamespace: '', key: '', kind: '', lastError: '', lastErrorAt: '',
    leaseUntil: '', lockedUntil: '', metadata: '', metaPairs: '', name: '', namespace: '', neg: '',
    offset: '', op: '', ownerType: '', parentKey: '', parked: '', reason: '', recorded: '',
    revision: '', runId: '', s: '', seq: '', sink: '', slotKey: '', source: '', sourceKey: '',
    startDate: '', startTime: '', state: '', targetKey: '', taskId: '', taskIds: '', taskRunId: '',
    tenantId: '', transformations: '', type: '', updated: '', username: '', v: '', value: '',
    version: '', vs: ''
})
CREATE (n)-[:READ]->(n),
       (n)-[:WROTE]->(n),
       (n)-[:FEEDS]->(n),
       (n)-[:PARENT_OF]->(n),
       (n)-[:HAS_COLUMN]->(n),
       (n)-[:DERIVES]->(n),
       (n)-[:READ_RECENT]->(n),
       (n)-[:WROTE_RECENT]->(n),
       (n)-[:FEEDS_RECENT]->(n)
DETACH DELETE n;
// New indexes come online in the background; a plan made before that is dropped when they do. The server plans its
// lineage queries right after this file (app/asgi.py: plan), so it waits for them.
CALL db.awaitIndexes(300);
