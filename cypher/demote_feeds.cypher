// A newer execution of this task slot was recorded: the older one's FEEDS edges (found from the inputs it
// read) are no longer current.
// :param executionKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[r:READ]->(:Asset)-[f:FEEDS]->(:Asset)
WHERE r.taskId = $taskId AND r.value = $value
  AND f.executionKey = $executionKey AND f.taskId = $taskId AND f.value = $value AND f.current
SET f.current = false
