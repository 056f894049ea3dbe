// Bulk-load the holders of bulk-loaded task runs' outputs, one batch per transaction.
// :param rows list<map>
UNWIND $rows AS row
CREATE (s:TaskSlot {key: row.key, slotKey: row.slotKey, assetKey: row.assetKey, tenantId: row.tenantId,
                    flowKey: row.flowKey, namespace: row.namespace, flowId: row.flowId, taskId: row.taskId,
                    value: row.value, executionKey: row.executionKey, date: row.date})
