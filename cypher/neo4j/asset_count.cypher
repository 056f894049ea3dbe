// How many assets of a tenant match these filters? (The filters of asset_list.cypher.)
// :param tenantId string
// :param anyId boolean
// :param q string
// :param allTypes boolean
// :param types list<string>
// :param anyNamespace boolean
// :param namespace string
// :param anyMetadata boolean
// :param metaPairs list<string>
// :param includeDeleted boolean
// :param allNamespaces boolean
// :param namespaces list<string>
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND ($anyId OR toLower(a.id) CONTAINS $q)
  AND ($allTypes OR a.type IN $types)
  AND ($anyNamespace OR a.namespace = $namespace OR a.namespace STARTS WITH ($namespace + '.'))
  AND ($anyMetadata OR all(p IN $metaPairs WHERE p IN a.metaPairs))
  AND ($includeDeleted OR a.deleted = false)
  AND ($allNamespaces OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.')))
RETURN count(a) AS total
