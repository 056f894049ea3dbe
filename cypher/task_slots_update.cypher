// Make these executions the holders of these stored (task slot, output) pairs (app/services/lineage_state.py);
// rows: maps of the TaskSlot's `key`, `executionKey`, `date` and `hasColumns` (the rest follows from the key).
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (s:TaskSlot {key: r.key})
SET s.executionKey = r.executionKey, s.date = r.date, s.hasColumns = r.hasColumns
