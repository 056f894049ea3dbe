// Newer runs of these task slots were recorded: the older runs' READ edges are no longer current (`rows`: maps of
// `executionKey`, `taskId`, `value`, each once; the OPTIONAL MATCH as in demote_taken_writes.cypher).
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (e:Execution {key: r.executionKey})
OPTIONAL MATCH (e)-[x:{{reads()}}]->(:Asset)
WHERE x.taskId = r.taskId AND x.value = r.value AND x.current
SET x.current = false
