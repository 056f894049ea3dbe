// Take (or create) the assets a batch of executions writes, holding their write locks for the rest of the
// transaction so that the metadata merges that follow read what they overwrite. A node this statement creates has
// no fingerprint (a stored asset always has one) until assets_store.cypher gives it its state, or
// assets_unclaim.cypher removes it when no recording in the batch ended up writing it.
// :param rows list<map>
// :param now string
UNWIND $rows AS r
MERGE (a:Asset {key: r.key})
ON CREATE SET a.tenantId = r.tenantId, a.id = r.id, a.created = $now, a.updated = $now, a.deleted = false,
              a.version = 0
SET a.version = a.version
RETURN a
