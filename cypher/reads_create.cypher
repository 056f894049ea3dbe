// Record that a task run of an execution read these assets (one READ edge each; the ids are distinct).
// One statement per task run: point lookups in an UNWIND cost LadybugDB 0.46 ms for three inputs with
// their FEEDS edges, against 1.08 ms as separate statements.
// :param executionKey string
// :param assetKeys list<string>
// :param executionId string
// :param namespace string
// :param flowId string
// :param taskId string
// :param value string
// :param date string
// :param current boolean
MATCH (e:Execution {key: $executionKey})
UNWIND $assetKeys AS k
MATCH (a:Asset {key: k})
CREATE (e)-[:{{new_read()}} {executionKey: $executionKey, executionId: $executionId, namespace: $namespace, flowId: $flowId,
                   taskId: $taskId, value: $value, date: $date, current: $current}]->(a)
