// A newer execution of this task slot was recorded: the older one's column edges (DERIVES) are no longer current.
// Found from the assets it wrote, like its FEEDS edges (demote_feeds.cypher).
// :param executionKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[w:{{wrotes()}}]->(:Asset)-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE w.taskId = $taskId AND w.value = $value
  AND d.executionKey = $executionKey AND d.taskId = $taskId AND d.value = $value AND d.current
SET d.current = false
