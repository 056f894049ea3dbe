// Delete an execution node with its READ and WROTE edges (its FEEDS and DERIVES edges are deleted first).
// :param key string
MATCH (e:Execution {key: $key})
DETACH DELETE e
