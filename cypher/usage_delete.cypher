// Delete one usage: the READ (WROTE) edge of a task run to an asset. usage_feeds_delete first removes the
// lineage it made.
// :variant usage_delete_read relation=read
// :variant usage_delete_wrote relation=wrote
// :param executionKey string
// :param assetKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[r:{{usage_type()}}]->(a:Asset {key: $assetKey})
WHERE r.taskId = $taskId AND r.value = $value
DELETE r
RETURN count(*) AS deleted
