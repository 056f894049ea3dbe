// Make this execution the latest of its task slot.
// :param key string
// :param tenantId string
// :param flowKey string
// :param namespace string
// :param flowId string
// :param taskId string
// :param value string
// :param executionKey string
// :param date string
// :param hasColumns boolean
MERGE (s:TaskSlot {key: $key})
SET s.tenantId = $tenantId, s.flowKey = $flowKey, s.namespace = $namespace, s.flowId = $flowId,
    s.taskId = $taskId, s.value = $value, s.executionKey = $executionKey, s.date = $date,
    s.hasColumns = $hasColumns
