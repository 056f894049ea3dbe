// Newer runs of a task slot took these outputs over: the older runs' WROTE edges into them are no longer current
// (`targets`: maps of `executionKey`, the older run, `assetKey`, the output, and the slot's `taskId` and
// `value`).
// :param targets list<map>
UNWIND $targets AS t
MATCH (e:Execution {key: t.executionKey})-[w:{{wrotes()}}]->(a:Asset {key: t.assetKey})
WHERE w.taskId = t.taskId AND w.value = t.value AND w.current
SET w.current = false
