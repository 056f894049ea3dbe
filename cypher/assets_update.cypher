// Store the state a batch of recordings leaves these stored assets in, as computed from what assets_claim.cypher
// read under its locks (each row holds every property of the node under its own name; a node Neo4j's claim
// created gets all of them here). Point lookups, no MERGE:
// an UNWIND of MERGE costs LadybugDB a scan of the table.
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (a:Asset {key: r.key})
SET a.tenantId = r.tenantId, a.id = r.id, a.created = r.created, a.namespace = r.namespace, a.type = r.type, a.displayName = r.displayName, a.description = r.description,
    a.metadata = r.metadata, a.metaPairs = r.metaPairs, a.fingerprint = r.fingerprint, a.updated = r.updated,
    a.deleted = r.deleted, a.createdBy = r.createdBy, a.version = r.version
