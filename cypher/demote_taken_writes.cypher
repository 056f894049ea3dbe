// Newer runs of these task slots took these outputs over: the older runs' WROTE edges into them are no longer
// current (`rows`: maps of the older run's `executionKey`, `taskId`, `value` and the output's `assetKey`, each
// once). The edges are found from each run with an OPTIONAL MATCH: as one pattern with the UNWIND, LadybugDB's
// planner scans the relationship tables instead of following each run's edges.
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (e:Execution {key: r.executionKey})
OPTIONAL MATCH (e)-[w:{{wrotes()}}]->(a:Asset)
WHERE a.key = r.assetKey AND w.taskId = r.taskId AND w.value = r.value AND w.current
SET w.current = false
