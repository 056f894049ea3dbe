// Record one execution node; its key is unique, so a concurrent second recording fails here and rolls back.
// :param key string
// :param tenantId string
// :param id string
// :param namespace string
// :param flowId string
// :param flowRevision integer?
// :param state string
// :param startDate string
// :param endDate string?
// :param recorded string
// :param fingerprint string
// :param document string
CREATE (e:Execution {key: $key, tenantId: $tenantId, id: $id, namespace: $namespace, flowId: $flowId,
                     flowRevision: $flowRevision, state: $state, startDate: $startDate, endDate: $endDate,
                     recorded: $recorded, fingerprint: $fingerprint, document: $document})
