// The row of an asset's lock, held or not (after asset_lock_take in the same transaction).
// :param key string
MATCH (l:AssetLock {key: $key})
RETURN l
