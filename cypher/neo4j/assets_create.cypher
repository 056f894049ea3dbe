// Create the assets a batch of recordings read that did not exist (each row holds every property of the node under
// its own name). MERGE, so that an input another request or API process creates at the same moment is taken as it
// is, as the one-at-a-time rule says for an input that exists (cypher/assets_create.cypher is LadybugDB's form: one
// writer at a time).
// :param rows list<map>
UNWIND $rows AS r
MERGE (a:Asset {key: r.key})
ON CREATE SET a.tenantId = r.tenantId, a.id = r.id, a.namespace = r.namespace, a.type = r.type,
              a.displayName = r.displayName, a.description = r.description, a.metadata = r.metadata,
              a.metaPairs = r.metaPairs, a.fingerprint = r.fingerprint, a.created = r.created,
              a.updated = r.updated, a.deleted = r.deleted, a.createdBy = r.createdBy, a.version = r.version
