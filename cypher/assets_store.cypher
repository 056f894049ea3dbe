// Store the state a batch of recordings leaves each asset in, as computed from what it read under assets_claim's
// locks (every property of the node; `rows` maps hold them under their own names).
// :param rows list<map>
UNWIND $rows AS r
MERGE (a:Asset {key: r.key})
SET a.tenantId = r.tenantId, a.id = r.id, a.namespace = r.namespace, a.type = r.type,
    a.displayName = r.displayName, a.description = r.description, a.metadata = r.metadata,
    a.metaPairs = r.metaPairs, a.fingerprint = r.fingerprint, a.created = r.created, a.updated = r.updated,
    a.deleted = r.deleted, a.createdBy = r.createdBy, a.version = r.version
