// Store a flow's latest revision (the Flow node) and keep the revision itself (a FlowRevision node).
// :param key string
// :param revisionKey string
// :param tenantId string
// :param namespace string
// :param id string
// :param revision integer
// :param source string
// :param taskIds list<string>
// :param fingerprint string
// :param now string
MERGE (f:Flow {key: $key})
ON CREATE SET f.tenantId = $tenantId, f.namespace = $namespace, f.id = $id, f.created = $now
SET f.revision = $revision, f.source = $source, f.taskIds = $taskIds, f.fingerprint = $fingerprint,
    f.updated = $now
CREATE (r:FlowRevision {key: $revisionKey, tenantId: $tenantId, namespace: $namespace, id: $id,
                        revision: $revision, source: $source, taskIds: $taskIds, fingerprint: $fingerprint,
                        created: $now, updated: $now})
RETURN f
