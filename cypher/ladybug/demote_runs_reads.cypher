// Newer runs of these task slots were recorded: the older runs' READ edges are no longer current (`rows`: maps of
// `executionKey`, `taskId`, `value`, each once; the OPTIONAL MATCH as in demote_taken_writes.cypher).
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (e:Execution {key: executionKey})
OPTIONAL MATCH (e)-[x:{{reads()}}]->(:Asset)
WHERE x.taskId = taskId AND x.value = value AND x.current
SET x.current = false
