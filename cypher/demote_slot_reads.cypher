// These executions hold no output of these task slots any more: their READ edges in the slot are no longer
// current (`slots`: maps of `executionKey`, `taskId` and `value`).
// :param slots list<map>
UNWIND $slots AS s
MATCH (e:Execution {key: s.executionKey})-[r:{{reads()}}]->(:Asset)
WHERE r.taskId = s.taskId AND r.value = s.value AND r.current
SET r.current = false
