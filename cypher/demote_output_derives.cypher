// A newer run of a task slot took this output over: the older run's column edges (DERIVES) into its columns are
// no longer current (one statement per output taken, as demote_output_writes.cypher).
// :param executionKey string
// :param assetKey string
// :param taskId string
// :param value string
MATCH (a:Asset {key: $assetKey})-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = $executionKey AND d.taskId = $taskId AND d.value = $value AND d.current
SET d.current = false
