// Record the schema version this database now holds.
// :param key string
// :param version integer
// :param now string
MERGE (s:SchemaInfo {key: $key})
SET s.version = $version, s.updated = $now
RETURN s.version AS version
