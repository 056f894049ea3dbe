// The first holders of these (task slot, output) pairs (app/services/lineage_state.py); each row holds a TaskSlot's
// properties under their own names (a run that wrote nothing holds the slot's own key, with an empty `assetKey`).
// :param rows list<map>
UNWIND $rows AS r
CREATE (s:TaskSlot {key: r.key, slotKey: r.slotKey, assetKey: r.assetKey, tenantId: r.tenantId, flowKey: r.flowKey,
                    namespace: r.namespace, flowId: r.flowId, taskId: r.taskId, value: r.value,
                    executionKey: r.executionKey, date: r.date, hasColumns: r.hasColumns})
