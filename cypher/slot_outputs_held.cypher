// How many outputs of a task slot does this execution still hold (its current WROTE edges in the slot)? An
// execution that holds none reads nothing current either (one statement per run taken from, as
// demote_output_writes.cypher).
// :param executionKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[w:{{wrotes()}}]->(:Asset)
WHERE w.taskId = $taskId AND w.value = $value AND w.current
RETURN count(w) AS held
