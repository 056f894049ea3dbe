// Newer runs of a task slot took these outputs over: the older runs' FEEDS edges into them are no longer current
// (`targets`: maps of `executionKey`, the older run, and `assetKey`, the output).
// :param targets list<map>
// :param taskId string
// :param value string
UNWIND $targets AS t
MATCH (:Asset)-[f:{{feeds()}}]->(a:Asset {key: t.assetKey})
WHERE f.executionKey = t.executionKey AND f.taskId = $taskId AND f.value = $value AND f.current
SET f.current = false
