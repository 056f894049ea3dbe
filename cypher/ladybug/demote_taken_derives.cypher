// Newer runs of these task slots took these outputs over: the older runs' column edges (DERIVES) into the outputs'
// columns are no longer current (`rows` as in demote_taken_writes.cypher).
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (a:Asset {key: assetKey})
OPTIONAL MATCH (a)-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = executionKey AND d.taskId = taskId AND d.value = value AND d.current
SET d.current = false
