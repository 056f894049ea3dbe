// Which of these assets exist, among those the caller may see? (Point lookups, one per key.)
// :param keys list<string>
// :literal allNamespaces flag
// :param namespaces list<string>
UNWIND $keys AS k
MATCH (a:Asset {key: k})
WHERE {{allNamespaces}} OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.'))
RETURN a
