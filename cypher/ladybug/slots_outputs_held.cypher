// How many outputs of its task slot does each of these runs still hold (its current WROTE edges in the slot)? A
// run that holds none reads nothing current either (`rows`: maps of `executionKey`, `taskId`, `value`, each once;
// the OPTIONAL MATCH as in demote_taken_writes.cypher).
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (e:Execution {key: executionKey})
OPTIONAL MATCH (e)-[w:{{wrotes()}}]->(:Asset)
WHERE w.taskId = taskId AND w.value = value AND w.current
RETURN executionKey AS executionKey, taskId AS taskId, value AS value, count(w) AS held
