// Take (or create) the assets a batch of executions writes (`rows`: maps of `key`, `tenantId`, `id`), holding
// their write locks for the rest of the transaction, so that the metadata merges that follow read what they
// overwrite and a concurrent writer of a new asset (another request, another API process) waits for this one's
// commit instead of failing on the key. A node created here has no fingerprint (a stored asset always has one)
// until assets_update.cypher gives it its state, or assets_unclaim.cypher removes it when no recording of the
// batch ended up writing it.
// :param rows list<map>
UNWIND $rows AS r
MERGE (a:Asset {key: r.key})
ON CREATE SET a.tenantId = r.tenantId, a.id = r.id
SET a.version = coalesce(a.version, 0)
RETURN a
