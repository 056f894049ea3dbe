// Which asset has this natural key, if the caller may see its namespace?
// :param key string
// :flag allNamespaces
// :param namespaces list<string>
MATCH (a:Asset {key: $key})
WHERE {{visible(a)}}
RETURN a
