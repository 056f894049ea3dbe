// Store the state a batch of recordings leaves these stored assets in, as computed from what assets_claim.cypher
// read under its locks (each row holds every property of the node under its own name; a node Neo4j's claim
// created gets all of them here). Point lookups, no MERGE:
// an UNWIND of MERGE costs LadybugDB a scan of the table.
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (a:Asset {key: key})
SET a.tenantId = tenantId, a.id = id, a.created = created, a.namespace = namespace, a.type = type, a.displayName = displayName, a.description = description,
    a.metadata = metadata, a.metaPairs = metaPairs, a.fingerprint = fingerprint, a.updated = updated,
    a.deleted = deleted, a.createdBy = createdBy, a.version = version
