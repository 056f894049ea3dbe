// Bulk-load current READ edges (execution -> asset), one batch per transaction.
// :param rows list<map>
UNWIND $rows AS row
MATCH (e:Execution {key: row.sourceKey})
MATCH (a:Asset {key: row.targetKey})
CREATE (e)-[:READ {executionKey: row.executionKey, executionId: row.executionId, namespace: row.namespace,
                   flowId: row.flowId, taskId: row.taskId, value: row.value, date: row.date, current: true}]->(a)
