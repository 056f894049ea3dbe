// Newer runs of a task slot took these outputs over: the older runs' column edges (DERIVES) into their columns
// are no longer current (`targets`: maps of `executionKey`, the older run, and `assetKey`, the output).
// :param targets list<map>
// :param taskId string
// :param value string
UNWIND $targets AS t
MATCH (a:Asset {key: t.assetKey})-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = t.executionKey AND d.taskId = $taskId AND d.value = $value AND d.current
SET d.current = false
