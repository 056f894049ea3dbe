// Which assets of a tenant match these filters (one page, ordered by id)? Each filter applies unless its
// flag (allTypes, anyNamespace, anyMetadata) says otherwise: `types` (every spelling of one type),
// `namespace` (itself and its children), `metaPairs` (every pair present; see app/domain/assets.py:
// meta_pair). Lists are never empty (unused ones hold a sentinel).
// LadybugDB form: list_has_all() tests the metadata pairs in one call (the portable all(... IN ...) costs it
// three times as much), and the page is chosen on (id, key) before whole nodes are read (it reads every
// property of every candidate row before a sort otherwise).
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
// :literal skip 0..100000000
// :literal limit 1..100000
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
  AND ({{anyId}} OR lower(a.id) CONTAINS $q)
  AND ({{allTypes}} OR a.type IN $types)
  AND ({{anyNamespace}} OR a.namespace = $namespace OR a.namespace STARTS WITH ($namespace + '.'))
  AND ({{anyMetadata}} OR list_has_all(a.metaPairs, $metaPairs))
  AND ({{includeDeleted}} OR a.deleted = false)
  AND ({{allNamespaces}} OR any(g IN $namespaces WHERE a.namespace = g OR a.namespace STARTS WITH (g + '.')))
WITH a.key AS key, a.id AS id
ORDER BY id
SKIP {{skip}} LIMIT {{limit}}
MATCH (a:Asset {key: key})
RETURN a
ORDER BY a.id
