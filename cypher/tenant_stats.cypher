// How many assets, executions and edges does a tenant hold? (operators; duplicate checks in tests)
// :param tenantId string
MATCH (a:Asset) WHERE a.tenantId = $tenantId RETURN 'assets' AS what, count(a) AS n
UNION ALL
MATCH (e:Execution) WHERE e.tenantId = $tenantId RETURN 'executions' AS what, count(e) AS n
UNION ALL
MATCH (e:Execution)-[r:{{reads()}}]->(:Asset) WHERE e.tenantId = $tenantId RETURN 'reads' AS what, count(r) AS n
UNION ALL
MATCH (e:Execution)-[w:{{wrotes()}}]->(:Asset) WHERE e.tenantId = $tenantId RETURN 'writes' AS what, count(w) AS n
UNION ALL
MATCH (s:Asset)-[f:{{feeds()}}]->(:Asset) WHERE s.tenantId = $tenantId RETURN 'feeds' AS what, count(f) AS n
UNION ALL
MATCH (f:Flow) WHERE f.tenantId = $tenantId RETURN 'flows' AS what, count(f) AS n
