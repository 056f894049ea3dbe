// How many READ, WROTE and FEEDS edges of a tenant repeat another one (same execution, task, value and
// assets)? Always 0 unless something is broken; the reliability tests and operators check it.
// :param tenantId string
MATCH (e:Execution)-[r:{{reads()}}]->(a:Asset) WHERE e.tenantId = $tenantId
WITH e.key AS ek, a.key AS ak, r.taskId AS t, r.value AS v, count(*) AS n WHERE n > 1
RETURN 'reads' AS what, count(*) AS n
UNION ALL
MATCH (e:Execution)-[w:{{wrotes()}}]->(a:Asset) WHERE e.tenantId = $tenantId
WITH e.key AS ek, a.key AS ak, w.taskId AS t, w.value AS v, count(*) AS n WHERE n > 1
RETURN 'writes' AS what, count(*) AS n
UNION ALL
MATCH (s:Asset)-[f:{{feeds()}}]->(t:Asset) WHERE s.tenantId = $tenantId
WITH s.key AS sk, t.key AS tk, f.executionKey AS ek, f.taskId AS task, f.value AS v, count(*) AS n WHERE n > 1
RETURN 'feeds' AS what, count(*) AS n
