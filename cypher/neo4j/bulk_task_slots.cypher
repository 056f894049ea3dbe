// Bulk-load the task slots of bulk-loaded task runs, one batch per transaction.
// :param rows list<map>
UNWIND $rows AS row
CREATE (s:TaskSlot {key: row.key, tenantId: row.tenantId, flowKey: row.flowKey, namespace: row.namespace,
                    flowId: row.flowId, taskId: row.taskId, value: row.value, executionKey: row.executionKey,
                    date: row.date})
