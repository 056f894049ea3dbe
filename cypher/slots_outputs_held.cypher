// How many outputs of its task slot does each of these runs still hold (its current WROTE edges in the slot)? A
// run that holds none reads nothing current either (`rows`: maps of `executionKey`, `taskId`, `value`, each once;
// the OPTIONAL MATCH as in demote_taken_writes.cypher).
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (e:Execution {key: r.executionKey})
OPTIONAL MATCH (e)-[w:{{wrotes()}}]->(:Asset)
WHERE w.taskId = r.taskId AND w.value = r.value AND w.current
RETURN r.executionKey AS executionKey, r.taskId AS taskId, r.value AS value, count(w) AS held
