// Which task slots of a flow belong to tasks its latest revision no longer has?
// :param flowKey string
// :param taskIds list<string>
MATCH (s:TaskSlot)
WHERE s.flowKey = $flowKey AND NOT s.taskId IN $taskIds
RETURN s
