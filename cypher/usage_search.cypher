// Which usages (an execution's task run read or wrote an asset) pass Kestra's query filters? One page, by date
// (ties by execution, task, asset); executions and assets in namespaces the caller cannot see are left out.
// :variant usage_search_asc order=asc
// :variant usage_search_desc order=desc
// :param tenantId string
// :flag allNamespaces
// :param anyOf list<list<map>>
// :number limit 1..100000
// :param namespaces list<string>
// :number skip 0..100000000
// :flag unfiltered
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE e.tenantId = $tenantId AND {{visible(e)}} AND {{visible(a)}} AND {{usage_passes(e, r, a)}}
RETURN a.id AS assetId, e.namespace AS namespace, e.flowId AS flowId, e.flowRevision AS flowRevision,
       e.id AS executionId, r.taskId AS taskId, {{task_run_id(r)}} AS taskRunId, r.date AS created,
       {{rel_type(r)}} AS relation, r.value AS value, e.key AS executionKey, a.key AS assetKey
ORDER BY created {{order()}}, executionId, taskId, taskRunId, assetId, relation
{{page()}}
