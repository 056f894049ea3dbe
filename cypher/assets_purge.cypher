// Remove assets for good, with their READ, WROTE and FEEDS edges and their locks (Kestra's bulk delete with
// `purge=true`). The caller has read them in this transaction and checked it may write each one.
// :param keys list<string>
UNWIND $keys AS k
MATCH (a:Asset {key: k})
OPTIONAL MATCH (l:AssetLock {key: k})
DETACH DELETE a, l
RETURN count(*) AS removed
