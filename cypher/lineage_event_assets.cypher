// The assets these task runs (`<executionKey>|<taskId>|<value>`) read and wrote, with their execution, one row per
// usage; assets the caller cannot see are left out.
// :param runs list<string>
// :flag allNamespaces
// :param namespaces list<string>
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset)
WHERE {{has_item($runs, e.key + '|' + r.taskId + '|' + r.value)}} AND {{visible(a)}}
RETURN e.key AS executionKey, e.id AS executionId, e.namespace AS namespace, e.flowId AS flowId,
       e.flowRevision AS flowRevision, e.state AS state, e.startDate AS startDate, e.endDate AS endDate,
       r.taskId AS taskId, r.value AS value, {{task_run_id(r)}} AS taskRunId, r.date AS created,
       {{rel_type(r)}} AS relation, a.id AS id, a.type AS type, a.namespace AS assetNamespace
