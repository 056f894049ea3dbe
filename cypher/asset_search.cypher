// Which assets of a tenant pass Kestra's query filters (one page, sorted)? The filters are data, not text:
// `anyOf` is a disjunction of conjunctions of leaves (see the asset_passes fragment); `sortKey` names the field
// to sort on (id, namespace, type, displayName, created, updated), ties going by id. Deleted assets are left out.
// What every alternative requires (binding.asset_query_filter: metadata pairs, a namespace, a type) is tested
// first, as asset_list tests it; the whole filter runs after a WITH, on the rows left: LadybugDB evaluates one
// WHERE whole on every row (docs/measurements.md: asset_search). The page is chosen on (sort value, id) before
// whole nodes are read.
// :variant asset_search_asc order=asc
// :variant asset_search_desc order=desc
// :param tenantId string
// :param ids list<string>
// :param text string
// :param types list<string>
// :param metaPairs list<string>
// :param sortKey string
// :flag allNamespaces
// :flag allTypes
// :flag anyId
// :flag anyMetadata
// :flag anyNamespace
// :param anyOf list<list<map>>
// :flag anyText
// :number limit 1..100000
// :param namespace string
// :param namespaces list<string>
// :number skip 0..100000000
// :flag unfiltered
MATCH (a:Asset)
WHERE a.tenantId = $tenantId AND a.deleted = false
  AND ({{flag(anyId)}} OR a.id IN $ids)
  AND ({{flag(allTypes)}} OR a.type IN $types)
  AND ({{flag(anyNamespace)}} OR {{in_namespace(a)}})
  AND ({{flag(anyMetadata)}} OR {{holds_all(a.metaPairs, $metaPairs)}})
  AND ({{flag(anyText)}} OR {{text_contains(a, $text)}})
  AND {{visible(a)}}
WITH a
WHERE {{asset_passes(a)}}
WITH a.key AS key, a.id AS id,
     CASE $sortKey
       WHEN 'namespace' THEN coalesce(a.namespace, '')
       WHEN 'type' THEN a.type
       WHEN 'displayName' THEN coalesce(a.displayName, '')
       WHEN 'created' THEN a.created
       WHEN 'updated' THEN a.updated
       ELSE a.id
     END AS sortValue
ORDER BY sortValue {{order()}}, id
{{page()}}
MATCH (a:Asset {key: key})
RETURN a
ORDER BY sortValue {{order()}}, id
