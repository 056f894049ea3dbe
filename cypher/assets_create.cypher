// Create the assets a batch of recordings wrote or read that did not exist (LadybugDB: one writer at a time;
// Neo4j's form is cypher/neo4j/assets_create.cypher) (each row holds every property of the
// node under its own name); the key is unique, so one created concurrently elsewhere fails the batch.
// :param rows list<map>
// :scan rows 128
// :columns rows
UNWIND $rows AS r
CREATE (a:Asset {key: r.key, tenantId: r.tenantId, id: r.id, namespace: r.namespace, type: r.type,
                 displayName: r.displayName, description: r.description, metadata: r.metadata,
                 metaPairs: r.metaPairs, fingerprint: r.fingerprint, created: r.created, updated: r.updated,
                 deleted: r.deleted, createdBy: r.createdBy, version: r.version})
