// The columns of an asset, by name.
// :param key string
MATCH (:Asset {key: $key})-[:HAS_COLUMN]->(c:AssetColumn)
RETURN c.name AS name, c.type AS type, c.description AS description
ORDER BY c.name
