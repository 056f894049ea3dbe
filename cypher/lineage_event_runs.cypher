// Which task runs (one lineage event each) have a usage passing Kestra's query filters? One page, newest first.
// :param tenantId string
// :flag allNamespaces
// :param anyOf list<list<map>>
// :number limit 1..100000
// :param namespaces list<string>
// :number skip 0..100000000
// :flag unfiltered
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE e.tenantId = $tenantId AND {{visible(e)}} AND {{visible(a)}} AND {{usage_passes(e, r, a)}}
WITH DISTINCT e.key AS executionKey, r.taskId AS taskId, r.value AS value, r.date AS created, e.id AS executionId
ORDER BY created DESC, executionId, taskId, value
{{page()}}
RETURN executionKey, taskId, value
