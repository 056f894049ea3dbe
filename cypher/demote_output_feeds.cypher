// Newer runs of a task slot took these outputs over: the older runs' FEEDS edges into them are no longer current
// (`targets`: maps of `executionKey`, the older run, `assetKey`, the output, and the slot's `taskId` and
// `value`).
// :param targets list<map>
UNWIND $targets AS t
MATCH (:Asset)-[f:{{feeds()}}]->(a:Asset {key: t.assetKey})
WHERE f.executionKey = t.executionKey AND f.taskId = t.taskId AND f.value = t.value AND f.current
SET f.current = false
