// Newer runs of these task slots took these outputs over: the older runs' WROTE edges into them are no longer
// current (`rows`: maps of the older run's `executionKey`, `taskId`, `value` and the output's `assetKey`, each
// once). The edges are found from each run with an OPTIONAL MATCH: as one pattern with the UNWIND, LadybugDB's
// planner scans the relationship tables instead of following each run's edges.
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (e:Execution {key: executionKey})
OPTIONAL MATCH (e)-[w:{{wrotes()}}]->(a:Asset)
WHERE a.key = assetKey AND w.taskId = taskId AND w.value = value AND w.current
SET w.current = false
