// Newer runs of these task slots took these outputs over: the older runs' FEEDS edges into them are no longer
// current (`rows` as in demote_taken_writes.cypher, which says why the edges are an OPTIONAL MATCH).
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (a:Asset {key: r.assetKey})
OPTIONAL MATCH (:Asset)-[f:{{feeds()}}]->(a)
WHERE f.executionKey = r.executionKey AND f.taskId = r.taskId AND f.value = r.value AND f.current
SET f.current = false
