// How many task runs have a usage passing Kestra's query filters (the `total` of lineage_event_runs)?
// :param tenantId string
// :flag allNamespaces
// :param anyOf list<list<map>>
// :param namespaces list<string>
// :flag unfiltered
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE e.tenantId = $tenantId AND {{visible(e)}} AND {{visible(a)}} AND {{usage_passes(e, r, a)}}
WITH DISTINCT e.key AS executionKey, r.taskId AS taskId, r.value AS value
RETURN count(*) AS total
