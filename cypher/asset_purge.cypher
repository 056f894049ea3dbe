// Remove an asset for good, with its READ, WROTE and FEEDS edges and its lock (Kestra's `purge=true`).
// :param key string
MATCH (a:Asset {key: $key})
OPTIONAL MATCH (l:AssetLock {key: $key})
DETACH DELETE a, l
RETURN count(*) AS removed
