// Bulk-load new execution nodes, one batch per transaction.
// :param rows list<map>
UNWIND $rows AS row
CREATE (e:Execution {key: row.key, tenantId: row.tenantId, id: row.id, namespace: row.namespace,
                     flowId: row.flowId, state: 'SUCCESS', startDate: row.date, endDate: row.date,
                     recorded: row.date, fingerprint: row.fingerprint, document: row.document})
