// A newer execution of this task slot was recorded: the older one's WROTE edges are no longer current.
// :param executionKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[w:{{wrotes()}}]->(:Asset)
WHERE w.taskId = $taskId AND w.value = $value AND w.current
SET w.current = false
