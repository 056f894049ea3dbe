// How many assets of a tenant match these filters? (Same filters as asset_list.)
// :param tenantId string
// :param types list<string>
// :param namespace string?
// :param metaPairs list<string>
// :param includeDeleted boolean
// :param allNamespaces boolean
// :param namespaces list<string>
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND (size($types) = 0 OR a.type IN $types)
  AND ($namespace IS NULL OR a.namespace = $namespace OR a.namespace STARTS WITH ($namespace + '.'))
  AND all(p IN $metaPairs WHERE p IN a.metaPairs)
  AND ($includeDeleted OR a.deleted = false)
  AND ($allNamespaces OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.')))
RETURN count(a) AS total
