// How many reads and writes of this asset are recorded (by executions the caller may see)?
// :param key string
// :literal allNamespaces flag
// :param namespaces list<string>
MATCH (e:Execution)-[r:READ|WROTE]->(a:Asset {key: $key})
WHERE {{allNamespaces}} OR any(g IN $namespaces WHERE e.namespace = g OR e.namespace STARTS WITH (g + '.'))
RETURN count(r) AS total
