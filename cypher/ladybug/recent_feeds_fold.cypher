// Move the FEEDS edges written since the last fold from FEEDS_RECENT into FEEDS (the checkpointer does it when writes
// pause, in one transaction with the other two kinds): one statement.
// :one-table
MATCH (s:Asset)-[h:FEEDS_RECENT]->(t:Asset)
CREATE (s)-[:FEEDS {executionKey: h.executionKey, executionId: h.executionId, namespace: h.namespace, flowId: h.flowId,
                   taskId: h.taskId, value: h.value, date: h.date, current: h.current}]->(t)
DELETE h
