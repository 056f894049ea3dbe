// Who holds this asset's lock, if anyone (expiry is the caller's to judge against its clock)?
// :param key string
MATCH (l:AssetLock {key: $key})
WHERE l.holder <> ''
RETURN l
