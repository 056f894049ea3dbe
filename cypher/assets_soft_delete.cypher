// Soft-delete assets (Kestra's bulk delete): flag each; the nodes and their lineage stay. The caller has read them in
// this transaction and checked it may write each one, and none is deleted already. One statement for the batch.
// :param keys list<string>
// :param now string
UNWIND $keys AS k
MATCH (a:Asset {key: k})
SET a.deleted = true, a.updated = $now, a.version = a.version + 1
RETURN a
