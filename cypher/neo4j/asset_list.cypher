// Which assets of a tenant match these filters (one page, ordered by id)? Each filter applies unless its
// flag (allTypes, anyNamespace, anyMetadata) says otherwise: `types` (every spelling of one type),
// `namespace` (itself and its children), `metaPairs` (every pair present; see app/domain/assets.py:
// meta_pair). Lists are never empty (unused ones hold a sentinel).
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
// :param skip integer
// :param limit integer
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND ($anyId OR toLower(a.id) CONTAINS $q)
  AND ($allTypes OR a.type IN $types)
  AND ($anyNamespace OR a.namespace = $namespace OR a.namespace STARTS WITH ($namespace + '.'))
  AND ($anyMetadata OR all(p IN $metaPairs WHERE p IN a.metaPairs))
  AND ($includeDeleted OR a.deleted = false)
  AND ($allNamespaces OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.')))
RETURN a
ORDER BY a.id
SKIP $skip LIMIT $limit
