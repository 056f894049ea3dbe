// Make these executions the holders of these stored (task slot, output) pairs (app/services/lineage_state.py);
// rows: maps of the TaskSlot's `key`, `executionKey`, `date` and `hasColumns` (the rest follows from the key).
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (s:TaskSlot {key: key})
SET s.executionKey = executionKey, s.date = date, s.hasColumns = hasColumns
