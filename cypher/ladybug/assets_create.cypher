// Create the assets a batch of recordings wrote or read that did not exist (LadybugDB: one writer at a time;
// Neo4j's form is cypher/neo4j/assets_create.cypher) (each row holds every property of the
// node under its own name); the key is unique, so one created concurrently elsewhere fails the batch.
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
CREATE (a:Asset {key: key, tenantId: tenantId, id: id, namespace: namespace, type: type,
                 displayName: displayName, description: description, metadata: metadata,
                 metaPairs: metaPairs, fingerprint: fingerprint, created: created, updated: updated,
                 deleted: deleted, createdBy: createdBy, version: version})
