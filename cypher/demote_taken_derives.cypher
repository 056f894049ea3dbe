// Newer runs of these task slots took these outputs over: the older runs' column edges (DERIVES) into the outputs'
// columns are no longer current (`rows` as in demote_taken_writes.cypher).
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (a:Asset {key: r.assetKey})
OPTIONAL MATCH (a)-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = r.executionKey AND d.taskId = r.taskId AND d.value = r.value AND d.current
SET d.current = false
