// How many assets of a tenant pass Kestra's query filters (the `total` of asset_search)?
// :param tenantId string
MATCH (a:Asset)
WHERE a.tenantId = $tenantId AND a.deleted = false AND {{visible(a)}} AND {{asset_passes(a)}}
RETURN count(*) AS total
