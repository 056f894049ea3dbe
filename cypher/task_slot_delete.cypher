// Forget a task slot whose task left the flow (its edges were demoted first).
// :param key string
MATCH (s:TaskSlot {key: $key})
DELETE s
