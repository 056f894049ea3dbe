// Which asset has this natural key, if the caller may see its namespace?
// :param key string
// :param allNamespaces boolean
// :param namespaces list<string>
MATCH (a:Asset {key: $key})
WHERE $allNamespaces OR any(p IN $namespaces WHERE a.namespace = p OR a.namespace STARTS WITH (p + '.'))
RETURN a
