// Which schema version does this database hold?
// :param key string
MATCH (s:SchemaInfo {key: $key})
RETURN s.version AS version
