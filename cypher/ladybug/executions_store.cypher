// Store a batch's new executions (`rows` maps: every property under its own name), the rows scanned as a table
// (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
CREATE (e:Execution {key: key, tenantId: tenantId, id: id, namespace: namespace, flowId: flowId,
                     flowRevision: flowRevision, state: state, startDate: startDate, endDate: endDate,
                     recorded: recorded, fingerprint: fingerprint, document: document})
