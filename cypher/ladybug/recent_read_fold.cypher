// Move the READ edges written since the last fold from READ_RECENT into READ (the checkpointer does it when writes
// pause, in one transaction with the other two kinds): one statement.
// :one-table
MATCH (s:Execution)-[h:READ_RECENT]->(t:Asset)
CREATE (s)-[:READ {executionKey: h.executionKey, executionId: h.executionId, namespace: h.namespace, flowId: h.flowId,
                   taskId: h.taskId, value: h.value, date: h.date, current: h.current}]->(t)
DELETE h
