// One WROTE edge per row: a task run of an execution wrote an asset (`rows` maps: executionKey, assetKey, and the
// edge's executionId, namespace, flowId, taskId, value, date and current).
// :param rows list<map>
// :scan rows 128
// :one-table
UNWIND $rows AS r
MATCH (e:Execution {key: r.executionKey})
MATCH (a:Asset {key: r.assetKey})
CREATE (e)-[:{{new_wrote()}} {executionKey: r.executionKey, executionId: r.executionId, namespace: r.namespace,
                               flowId: r.flowId, taskId: r.taskId, value: r.value, date: r.date,
                               current: r.current}]->(a)
