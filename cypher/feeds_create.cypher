// Record the derived lineage edge input -> output made by one task run (what impact and upstream walk).
// :param sourceKey string
// :param targetKey string
// :param executionKey string
// :param executionId string
// :param namespace string
// :param flowId string
// :param taskId string
// :param value string
// :param date string
// :param current boolean
MATCH (s:Asset {key: $sourceKey})
MATCH (t:Asset {key: $targetKey})
CREATE (s)-[:FEEDS {executionKey: $executionKey, executionId: $executionId, namespace: $namespace, flowId: $flowId,
                    taskId: $taskId, value: $value, date: $date, current: $current}]->(t)
