// Register columns of assets (from `schema` and `columnLineage` facets): one Column per (asset, name), joined
// to its asset; `columns` hold each key once. A column's type and description are kept when a later facet leaves
// them empty ("").
// :param columns list<map>
UNWIND $columns AS c
MATCH (a:Asset {key: c.assetKey})
MERGE (k:AssetColumn {key: c.key})
ON CREATE SET k.tenantId = c.tenantId, k.assetKey = c.assetKey, k.name = c.name, k.type = c.type,
              k.description = c.description
SET k.type = CASE WHEN c.type = '' THEN k.type ELSE c.type END,
    k.description = CASE WHEN c.description = '' THEN k.description ELSE c.description END
MERGE (a)-[:HAS_COLUMN]->(k)
