// How many outputs of a task slot does each of these executions still hold (its current WROTE edges in the slot)?
// An execution that holds none reads nothing current either (`slots`: maps of `executionKey`, `taskId`, `value`).
// :param slots list<map>
UNWIND $slots AS s
MATCH (e:Execution {key: s.executionKey})
OPTIONAL MATCH (e)-[w:{{wrotes()}}]->(:Asset)
WHERE w.taskId = s.taskId AND w.value = s.value AND w.current
RETURN s.executionKey AS executionKey, s.taskId AS taskId, s.value AS value, count(w) AS held
