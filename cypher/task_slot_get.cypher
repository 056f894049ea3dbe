// Which execution is the latest of this task slot (flow namespace, flow id, task id, ForEach value)?
// :param key string
MATCH (s:TaskSlot {key: $key})
RETURN s
