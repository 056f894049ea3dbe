// The stored assets a batch of executions writes, each taken under its write lock for the rest of the transaction
// (so that the metadata merges that follow read what they overwrite). An asset missing here is created by
// assets_create.cypher; if another process creates it first, the key's uniqueness fails the batch, and each
// recording is retried alone, then finding it.
// :param keys list<string>
UNWIND $keys AS k
MATCH (a:Asset {key: k})
SET a.version = a.version
RETURN a
