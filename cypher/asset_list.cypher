// Which assets of a tenant match these filters (one page, ordered by id)? Each filter applies unless its
// flag (allTypes, anyNamespace, anyMetadata) says otherwise: `types` (every spelling of one type),
// `namespace` (itself and its children), `metaPairs` (every pair present; see app/domain/assets.py:
// meta_pair). Lists are never empty (unused ones hold a sentinel).
// The page is chosen on (id, key) before whole nodes are read: LadybugDB reads every property of every
// candidate row before a sort otherwise.
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
// :number limit 1..100000
// :param namespace string
// :param namespaces list<string>
// :number skip 0..100000000
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND ({{flag(anyId)}} OR {{lowercase(a.id)}} CONTAINS $q)
  AND ({{flag(allTypes)}} OR a.type IN $types)
  AND ({{flag(anyNamespace)}} OR {{in_namespace(a)}})
  AND ({{flag(anyMetadata)}} OR {{holds_all(a.metaPairs, $metaPairs)}})
  AND ({{flag(includeDeleted)}} OR a.deleted = false)
  AND {{visible(a)}}
WITH a.key AS key, a.id AS id
ORDER BY id
{{page()}}
MATCH (a:Asset {key: key})
RETURN a
ORDER BY a.id
