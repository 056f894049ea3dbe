// How many reads and writes of this asset are recorded (by executions the caller may see)?
// :param key string
// :flag allNamespaces
// :param namespaces list<string>
MATCH (e:Execution)-[r:{{usages()}}]->(a:Asset {key: $key})
WHERE {{visible(e)}}
RETURN count(r) AS total
