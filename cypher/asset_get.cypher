// Which asset has this natural key, if the caller may see its namespace?
// :param key string
// :literal allNamespaces flag
// :param namespaces list<string>
MATCH (a:Asset {key: $key})
WHERE {{allNamespaces}} OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.'))
RETURN a
