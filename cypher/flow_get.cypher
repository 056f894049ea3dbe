// The latest revision of a stored flow, if any.
// :param key string
MATCH (f:Flow {key: $key})
RETURN f
