// Which assets of a tenant match these filters (one page, ordered by id)?
// Empty `types` means any type; `namespace` matches itself and its children; every pair in `metaPairs`
// must be present (see app/domain/assets.py: meta_pair).
// :param tenantId string
// :param types list<string>
// :param namespace string?
// :param metaPairs list<string>
// :param includeDeleted boolean
// :param allNamespaces boolean
// :param namespaces list<string>
// :param skip integer
// :param limit integer
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND (size($types) = 0 OR a.type IN $types)
  AND ($namespace IS NULL OR a.namespace = $namespace OR a.namespace STARTS WITH ($namespace + '.'))
  AND all(p IN $metaPairs WHERE p IN a.metaPairs)
  AND ($includeDeleted OR a.deleted = false)
  AND ($allNamespaces OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.')))
RETURN a
ORDER BY a.id
SKIP $skip LIMIT $limit
