// One stored revision of a flow.
// :param key string
MATCH (r:FlowRevision {key: $key})
RETURN r
