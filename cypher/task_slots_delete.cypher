// Forget these (task slot, output) holders: their execution was recorded again as failed.
// :param keys list<string>
UNWIND $keys AS k
MATCH (s:TaskSlot {key: k})
DELETE s
