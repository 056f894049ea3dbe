// A newer run of a task slot took this output over: the older run's WROTE edges into it are no longer current.
// One statement per output taken, with point lookups: as an UNWIND over a batch's targets, LadybugDB's planner
// scans the relationship tables instead of following the run's edges.
// :param executionKey string
// :param assetKey string
// :param taskId string
// :param value string
MATCH (e:Execution {key: $executionKey})-[w:{{wrotes()}}]->(a:Asset {key: $assetKey})
WHERE w.taskId = $taskId AND w.value = $value AND w.current
SET w.current = false
