// Newer runs of these task slots took these outputs over: the older runs' column edges (DERIVES) into the outputs'
// columns are no longer current (`rows` as in demote_taken_writes.cypher). Found by the older run's execution key
// through the derives_execution index (schema.cypher), held by a hint: the shared text walks from the output's
// columns over every edge into them (one per column per run that wrote it), and its first plan on a fresh server,
// made before any column edge existed, grew with every edge in the database until Neo4j planned it again.
// :param rows list<map>
UNWIND $rows AS r
MATCH (:AssetColumn)-[d:DERIVES {executionKey: r.executionKey}]->(c:AssetColumn)
USING INDEX d:DERIVES(executionKey)
WHERE d.taskId = r.taskId AND d.value = r.value AND d.current
  AND EXISTS { (:Asset {key: r.assetKey})-[:HAS_COLUMN]->(c) }
SET d.current = false
