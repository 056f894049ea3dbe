// Bulk-load new assets, one batch of rows per transaction (benchmarks, fresh imports).
// :param rows list<map>
UNWIND $rows AS row
CREATE (a:Asset {key: row.key, tenantId: row.tenantId, id: row.id, namespace: row.namespace, type: row.type,
                 metadata: row.metadata, metaPairs: row.metaPairs, fingerprint: row.fingerprint,
                 created: row.created, updated: row.created, deleted: false, version: 1})
