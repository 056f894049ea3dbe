// Which assets of a tenant pass Kestra's query filters (one page, sorted)? The filters are data, not text:
// `anyOf` is a disjunction of conjunctions of leaves (see the asset_passes fragment); `sortKey` names the field
// to sort on (id, namespace, type, displayName, created, updated), ties going by id. Deleted assets are left out.
// The page is chosen on (sort value, id) before whole nodes are read, as asset_list does.
// :variant asset_search_asc order=asc
// :variant asset_search_desc order=desc
// :param tenantId string
// :param sortKey string
MATCH (a:Asset)
WHERE a.tenantId = $tenantId AND a.deleted = false AND {{visible(a)}} AND {{asset_passes(a)}}
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
