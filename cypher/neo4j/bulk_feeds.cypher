// Bulk-load current FEEDS edges (asset -> asset), one batch per transaction.
// :param rows list<map>
UNWIND $rows AS row
MATCH (s:Asset {key: row.sourceKey})
MATCH (t:Asset {key: row.targetKey})
CREATE (s)-[:FEEDS {executionKey: row.executionKey, executionId: row.executionId, namespace: row.namespace,
                    flowId: row.flowId, taskId: row.taskId, value: row.value, date: row.date, current: true}]->(t)
