// Every READ and WROTE edge of a tenant's executions (comparing two recordings of the same history, in tests).
// :param tenantId string
MATCH (e:Execution)-[r:{{reads()}}]->(a:Asset)
WHERE e.tenantId = $tenantId
RETURN 'READ' AS relation, e.id AS execution, a.id AS asset, r.executionId AS executionId, r.namespace AS namespace,
       r.flowId AS flowId, r.taskId AS taskId, r.value AS value, r.date AS date, r.current AS current
UNION ALL
MATCH (e:Execution)-[r:{{wrotes()}}]->(a:Asset)
WHERE e.tenantId = $tenantId
RETURN 'WROTE' AS relation, e.id AS execution, a.id AS asset, r.executionId AS executionId, r.namespace AS namespace,
       r.flowId AS flowId, r.taskId AS taskId, r.value AS value, r.date AS date, r.current AS current
