// v3 -> v4: current lineage is decided per (task slot, output asset) (app/services/lineage_state.py). A TaskSlot
// now holds one output of a slot (key: the slot's key, '|', the output's key) or, for the slot's runs that wrote
// nothing, the slot itself. Existing stores get a holder for every output each live slot has written: its latest
// started successful writer, whose edges into that output become current again (a flow run once per table had
// only its last table's lineage current). Nothing is demoted: v3's current edges are the latest run's, which holds
// every output it wrote.
CREATE INDEX task_slot_slot IF NOT EXISTS FOR (s:TaskSlot) ON (s.tenantId, s.namespace, s.flowId, s.taskId, s.value);
CALL db.awaitIndexes(600);
MATCH (s:TaskSlot) WHERE s.slotKey IS NULL SET s.slotKey = s.key, s.assetKey = '';
MATCH (e:Execution)-[w:WROTE]->(a:Asset)
WHERE NOT e.state IN ['FAILED', 'KILLED', 'CANCELLED']
MATCH (s:TaskSlot {tenantId: e.tenantId, namespace: w.namespace, flowId: w.flowId, taskId: w.taskId, value: w.value})
WHERE s.assetKey = ''
WITH s, a, max(w.date + '|' + e.key) AS latest
CREATE (:TaskSlot {key: s.slotKey + '|' + a.key, slotKey: s.slotKey, assetKey: a.key, tenantId: s.tenantId,
                   flowKey: s.flowKey, namespace: s.namespace, flowId: s.flowId, taskId: s.taskId, value: s.value,
                   executionKey: substring(latest, 28), date: substring(latest, 0, 27),
                   hasColumns: true});
MATCH (s:TaskSlot) WHERE s.assetKey = ''
MATCH (e:Execution {key: s.executionKey})-[w:WROTE]->(:Asset)
WHERE w.taskId = s.taskId AND w.value = s.value
WITH DISTINCT s
DELETE s;
MATCH (n:TaskSlot) WHERE n.assetKey <> ''
MATCH (e:Execution {key: n.executionKey})-[w:WROTE]->(a:Asset {key: n.assetKey})
WHERE w.taskId = n.taskId AND w.value = n.value
SET w.current = true;
MATCH (n:TaskSlot) WHERE n.assetKey <> ''
MATCH (:Asset)-[f:FEEDS]->(a:Asset {key: n.assetKey})
WHERE f.executionKey = n.executionKey AND f.taskId = n.taskId AND f.value = n.value
SET f.current = true;
MATCH (n:TaskSlot) WHERE n.assetKey <> ''
MATCH (a:Asset {key: n.assetKey})-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = n.executionKey AND d.taskId = n.taskId AND d.value = n.value
SET d.current = true;
MATCH (n:TaskSlot) WHERE n.assetKey <> ''
MATCH (e:Execution {key: n.executionKey})-[r:READ]->(:Asset)
WHERE r.taskId = n.taskId AND r.value = n.value
SET r.current = true;
