// How many assets of a tenant match these filters? (The filters of asset_list.cypher.)
// :param tenantId string
// :param q string
// :param types list<string>
// :param metaPairs list<string>
// :flag allNamespaces
// :flag allTypes
// :flag anyId
// :flag anyMetadata
// :flag anyNamespace
// :flag includeDeleted
// :param namespace string
// :param namespaces list<string>
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND ({{flag(anyId)}} OR {{lowercase(a.id)}} CONTAINS $q)
  AND ({{flag(allTypes)}} OR a.type IN $types)
  AND ({{flag(anyNamespace)}} OR {{in_namespace(a)}})
  AND ({{flag(anyMetadata)}} OR {{holds_all(a.metaPairs, $metaPairs)}})
  AND ({{flag(includeDeleted)}} OR a.deleted = false)
  AND {{visible(a)}}
RETURN count(a) AS total
