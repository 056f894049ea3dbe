// Before executions are recorded again: delete the FEEDS edges each made, found by its execution key through the
// feeds_execution index (schema.cypher), held by a hint as in demote_taken_derives.cypher: every FEEDS edge with an
// execution's key is one it made into an asset it wrote, so this is the shared file's set without its walk.
// :param keys list<string>
UNWIND $keys AS k
MATCH (:Asset)-[f:FEEDS {executionKey: k}]->(:Asset)
USING INDEX f:FEEDS(executionKey)
DELETE f
