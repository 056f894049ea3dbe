// A newer run of a task slot took this output over: the older run's FEEDS edges into it are no longer current
// (one statement per output taken, as demote_output_writes.cypher).
// :param executionKey string
// :param assetKey string
// :param taskId string
// :param value string
MATCH (:Asset)-[f:{{feeds()}}]->(a:Asset {key: $assetKey})
WHERE f.executionKey = $executionKey AND f.taskId = $taskId AND f.value = $value AND f.current
SET f.current = false
