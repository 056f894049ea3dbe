// Newer runs of these task slots took these outputs over: the older runs' column edges (DERIVES) into the outputs'
// columns are no longer current (`rows` as in demote_taken_writes.cypher). Found by the older run's execution key
// through the derives_execution index (schema.cypher): a walk from the output's columns reads every edge into them,
// one per run of every job that ever wrote them, so it grew with the history (README, Writes).
// :param rows list<map>
UNWIND $rows AS r
MATCH (:AssetColumn)-[d:DERIVES {executionKey: r.executionKey}]->(c:AssetColumn)
USING INDEX d:DERIVES(executionKey)
WHERE d.taskId = r.taskId AND d.value = r.value AND d.current
  AND EXISTS { (:Asset {key: r.assetKey})-[:HAS_COLUMN]->(c) }
SET d.current = false
