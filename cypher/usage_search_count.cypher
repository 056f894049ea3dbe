// How many usages pass Kestra's query filters (the `total` of usage_search)?
// :param tenantId string
// :flag allNamespaces
// :param anyOf list<list<map>>
// :param namespaces list<string>
// :flag unfiltered
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE e.tenantId = $tenantId AND {{visible(e)}} AND {{visible(a)}} AND {{usage_passes(e, r, a)}}
RETURN count(*) AS total
