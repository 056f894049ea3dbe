// Record the derived lineage edges input -> output made by one task run (what impact and upstream walk):
// one FEEDS edge per (source, target) pair of `pairs` (maps of `sourceKey`, `targetKey` and `current`, whether
// the run holds that output of its task slot; distinct).
// :param pairs list<map>
// :param executionKey string
// :param executionId string
// :param namespace string
// :param flowId string
// :param taskId string
// :param value string
// :param date string
UNWIND $pairs AS p
MATCH (s:Asset {key: p.sourceKey})
MATCH (t:Asset {key: p.targetKey})
CREATE (s)-[:{{new_feeds()}} {executionKey: $executionKey, executionId: $executionId, namespace: $namespace, flowId: $flowId,
                    taskId: $taskId, value: $value, date: $date, current: p.current}]->(t)
