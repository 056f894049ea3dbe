// Which of these assets exist, among those the caller may see? (Point lookups, one per key.)
// :param keys list<string>
// :flag allNamespaces
// :param namespaces list<string>
UNWIND $keys AS k
MATCH (a:Asset {key: k})
WHERE {{visible(a)}}
RETURN a
