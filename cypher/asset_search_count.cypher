// How many assets of a tenant pass Kestra's query filters (the `total` of asset_search)?
// :param tenantId string
// :param ids list<string>
// :param text string
// :param types list<string>
// :param metaPairs list<string>
// :flag allNamespaces
// :flag allTypes
// :flag anyId
// :flag anyMetadata
// :flag anyNamespace
// :param anyOf list<list<map>>
// :flag anyText
// :param namespace string
// :param namespaces list<string>
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
RETURN count(*) AS total
