// How many assets of a tenant match these filters? (The filters of asset_list.cypher.)
// LadybugDB form: list_has_all() tests the metadata pairs in one call.
// :param tenantId string
// :literal anyId flag
// :param q string
// :literal allTypes flag
// :param types list<string>
// :literal anyNamespace flag
// :param namespace string
// :literal anyMetadata flag
// :param metaPairs list<string>
// :literal includeDeleted flag
// :literal allNamespaces flag
// :param namespaces list<string>
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND ({{anyId}} OR lower(a.id) CONTAINS $q)
  AND ({{allTypes}} OR a.type IN $types)
  AND ({{anyNamespace}} OR a.namespace = $namespace OR a.namespace STARTS WITH ($namespace + '.'))
  AND ({{anyMetadata}} OR list_has_all(a.metaPairs, $metaPairs))
  AND ({{includeDeleted}} OR a.deleted = false)
  AND ({{allNamespaces}} OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.')))
RETURN count(a) AS total
