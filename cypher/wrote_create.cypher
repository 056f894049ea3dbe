// Record that a task run of an execution wrote an asset.
// :param executionKey string
// :param assetKey string
// :param executionId string
// :param namespace string
// :param flowId string
// :param taskId string
// :param value string
// :param date string
// :param current boolean
MATCH (e:Execution {key: $executionKey})
MATCH (a:Asset {key: $assetKey})
CREATE (e)-[:{{new_wrote()}} {executionKey: $executionKey, executionId: $executionId, namespace: $namespace, flowId: $flowId,
                    taskId: $taskId, value: $value, date: $date, current: $current}]->(a)
