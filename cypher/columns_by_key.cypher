// Which of these columns exist already, with their type and description (so that a run's columns are written
// only when new or changed: most runs repeat the columns of the run before).
// :param keys list<string>
UNWIND $keys AS k
MATCH (c:AssetColumn {key: k})
RETURN c.key AS key, c.type AS type, c.description AS description
