// Which flows read this asset since a date? Each flow once, with how many of its task runs read the asset since
// then and when the last one did, most recent first. Every recorded read counts (history, not only current lineage);
// flows in namespaces the caller cannot see are left out.
// :param key string
// :param since string
// :flag allNamespaces
// :param namespaces list<string>
// :number limit 1..100000
MATCH (e:Execution)-[r:{{reads()}}]->(a:Asset {key: $key})
WHERE r.date >= $since AND {{visible(e)}}
RETURN e.namespace AS namespace, e.flowId AS flowId, count(*) AS reads, max(r.date) AS lastRead
ORDER BY lastRead DESC, namespace, flowId
{{first()}}
