// One FEEDS edge per row, from an asset a task run read to one it wrote (`rows` maps: sourceKey, targetKey, and the
// edge's executionKey, executionId, namespace, flowId, taskId, value, date and current, whether the run holds
// that output of its task slot).
// :param rows list<map>
// :scan rows 128
// :one-table
UNWIND $rows AS r
MATCH (s:Asset {key: r.sourceKey})
MATCH (t:Asset {key: r.targetKey})
CREATE (s)-[:{{new_feeds()}} {executionKey: r.executionKey, executionId: r.executionId, namespace: r.namespace,
                               flowId: r.flowId, taskId: r.taskId, value: r.value, date: r.date,
                               current: r.current}]->(t)
