// The first holders of these (task slot, output) pairs (app/services/lineage_state.py); each row holds a TaskSlot's
// properties under their own names. MERGE, so that a first run of the slot recorded at the same moment by another
// request or API process does not fail this one on the key (cypher/task_slots_create.cypher is LadybugDB's form).
// :param rows list<map>
UNWIND $rows AS r
MERGE (s:TaskSlot {key: r.key})
SET s.slotKey = r.slotKey, s.assetKey = r.assetKey, s.tenantId = r.tenantId, s.flowKey = r.flowKey,
    s.namespace = r.namespace, s.flowId = r.flowId, s.taskId = r.taskId, s.value = r.value,
    s.executionKey = r.executionKey, s.date = r.date, s.hasColumns = r.hasColumns
