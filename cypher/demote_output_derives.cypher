// Newer runs of a task slot took these outputs over: the older runs' column edges (DERIVES) into their columns
// are no longer current (`targets`: maps of `executionKey`, the older run, `assetKey`, the output, and the slot's
// `taskId` and `value`).
// :param targets list<map>
UNWIND $targets AS t
MATCH (a:Asset {key: t.assetKey})-[:HAS_COLUMN]->(:AssetColumn)<-[d:DERIVES]-(:AssetColumn)
WHERE d.executionKey = t.executionKey AND d.taskId = t.taskId AND d.value = t.value AND d.current
SET d.current = false
