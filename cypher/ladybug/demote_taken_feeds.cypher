// Newer runs of these task slots took these outputs over: the older runs' FEEDS edges into them are no longer
// current (`rows` as in demote_taken_writes.cypher, which says why the edges are an OPTIONAL MATCH).
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (a:Asset {key: assetKey})
OPTIONAL MATCH (:Asset)-[f:{{feeds()}}]->(a)
WHERE f.executionKey = executionKey AND f.taskId = taskId AND f.value = value AND f.current
SET f.current = false
