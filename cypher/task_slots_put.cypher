// Make this execution the holder of these outputs of a task slot (`outputs`: maps of `key` and `assetKey`; a run
// that wrote nothing holds the slot's own key, with an empty `assetKey`).
// :param outputs list<map>
// :param slotKey string
// :param tenantId string
// :param flowKey string
// :param namespace string
// :param flowId string
// :param taskId string
// :param value string
// :param executionKey string
// :param date string
// :param hasColumns boolean
UNWIND $outputs AS o
MERGE (s:TaskSlot {key: o.key})
SET s.slotKey = $slotKey, s.assetKey = o.assetKey, s.tenantId = $tenantId, s.flowKey = $flowKey,
    s.namespace = $namespace, s.flowId = $flowId, s.taskId = $taskId, s.value = $value,
    s.executionKey = $executionKey, s.date = $date, s.hasColumns = $hasColumns
