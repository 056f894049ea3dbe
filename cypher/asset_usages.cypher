// Every execution that read or wrote this asset (the audit trail, full history), newest first; executions of
// flows in namespaces the caller cannot see are left out.
// :param key string
// :flag allNamespaces
// :number limit 1..100000
// :param namespaces list<string>
// :number skip 0..100000000
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset {key: $key})
WHERE {{visible(e)}}
RETURN e.id AS executionId, e.namespace AS namespace, e.flowId AS flowId, r.taskId AS taskId,
       r.value AS value, {{rel_type(r)}} AS relation, r.date AS date, r.current AS current, e.state AS state
ORDER BY date DESC, executionId DESC, taskId, value, relation
{{page()}}
