// A newer execution of this task slot was recorded: the older one's READ edges are no longer current.
// :param executionKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[r:{{reads()}}]->(:Asset)
WHERE r.taskId = $taskId AND r.value = $value AND r.current
SET r.current = false
