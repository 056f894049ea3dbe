// Record a batch of execution nodes (`rows` maps hold each one's properties under their own names); the key is
// unique, so an execution recorded concurrently elsewhere fails the batch here and rolls it back.
// :param rows list<map>
// :scan rows 128
// :columns rows
UNWIND $rows AS r
CREATE (e:Execution {key: r.key, tenantId: r.tenantId, id: r.id, namespace: r.namespace, flowId: r.flowId,
                     flowRevision: r.flowRevision, state: r.state, startDate: r.startDate, endDate: r.endDate,
                     recorded: r.recorded, fingerprint: r.fingerprint, document: r.document})
