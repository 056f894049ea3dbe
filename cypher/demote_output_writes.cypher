// Newer runs of a task slot took these outputs over: the older runs' WROTE edges into them are no longer current
// (`targets`: maps of `executionKey`, the older run, and `assetKey`, the output).
// :param targets list<map>
// :param taskId string
// :param value string
UNWIND $targets AS t
MATCH (e:Execution {key: t.executionKey})-[w:{{wrotes()}}]->(a:Asset {key: t.assetKey})
WHERE w.taskId = $taskId AND w.value = $value AND w.current
SET w.current = false
