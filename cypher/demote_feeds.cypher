// A newer execution of this task slot was recorded: the older one's FEEDS edges are no longer current.
// They are found from the assets it wrote, not from those it read: a hub table read by thousands of tasks
// has as many FEEDS edges out of it, growing with every run of every reader, while the edges into a task's
// own output grow only with that task's runs.
// :param executionKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[w:{{wrotes()}}]->(:Asset)<-[f:{{feeds()}}]-(:Asset)
WHERE w.taskId = $taskId AND w.value = $value
  AND f.executionKey = $executionKey AND f.taskId = $taskId AND f.value = $value AND f.current
SET f.current = false
