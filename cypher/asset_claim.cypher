// Take (or create) an asset an execution writes, holding its write lock for the rest of the transaction so
// that the metadata merge that follows reads what it overwrites. `fresh` is true when it was just created.
// :param key string
// :param tenantId string
// :param id string
// :param now string
// :param executionId string
MERGE (a:Asset {key: $key})
ON CREATE SET a.tenantId = $tenantId, a.id = $id, a.created = $now, a.updated = $now, a.deleted = false,
              a.createdBy = $executionId, a.version = 0
SET a.version = a.version
RETURN a, a.fingerprint IS NULL AS fresh
