// How many outputs of a task slot does each of these executions still hold (its current WROTE edges in the slot)?
// An execution that holds none reads nothing current either.
// :param executionKeys list<string>
// :param taskId string
// :param value string
UNWIND $executionKeys AS k
MATCH (e:Execution {key: k})
OPTIONAL MATCH (e)-[w:{{wrotes()}}]->(:Asset)
WHERE w.taskId = $taskId AND w.value = $value AND w.current
RETURN k AS executionKey, count(w) AS held
