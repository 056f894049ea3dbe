// One column by its natural key.
// :param key string
MATCH (c:AssetColumn {key: $key})
RETURN c.name AS name, c.type AS type, c.description AS description
