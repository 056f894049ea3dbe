// Every execution that read or wrote this asset (the audit trail, full history), newest first; executions of
// flows in namespaces the caller cannot see are left out.
// Neo4j names a relationship's type with type(r); LadybugDB with label(r).
// :param key string
// :param allNamespaces boolean
// :param namespaces list<string>
// :param skip integer
// :param limit integer
MATCH (e:Execution)-[r:READ|WROTE]->(a:Asset {key: $key})
WHERE $allNamespaces OR any(g IN $namespaces WHERE e.namespace = g OR e.namespace STARTS WITH (g + '.'))
RETURN e.id AS executionId, e.namespace AS namespace, e.flowId AS flowId, r.taskId AS taskId,
       r.value AS value, type(r) AS relation, r.date AS date, r.current AS current
ORDER BY date DESC, executionId DESC, taskId, value, relation
SKIP $skip LIMIT $limit
