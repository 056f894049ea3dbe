// Every FEEDS edge between a tenant's assets (comparing two recordings of the same history, in tests).
// :param tenantId string
MATCH (s:Asset)-[f:{{feeds()}}]->(t:Asset)
WHERE s.tenantId = $tenantId
RETURN s.id AS source, t.id AS target, f.executionKey AS executionKey, f.executionId AS executionId,
       f.namespace AS namespace, f.flowId AS flowId, f.taskId AS taskId, f.value AS value, f.date AS date,
       f.current AS current
