// Every stored revision of a flow, newest first.
// :param tenantId string
// :param namespace string
// :param id string
MATCH (r:FlowRevision)
WHERE r.tenantId = $tenantId AND r.namespace = $namespace AND r.id = $id
RETURN r
ORDER BY r.revision DESC
