// A run names its parent run (`parent` facet): link them, creating the parent as a placeholder (no events yet)
// when its own events have not arrived.
// :param childKey string
// :param parentKey string
// :param tenantId string
// :param runId string
// :param namespace string
// :param jobNamespace string
// :param jobName string
// :param now string
MATCH (c:LineageRun {key: $childKey})
MERGE (p:LineageRun {key: $parentKey})
ON CREATE SET p.tenantId = $tenantId, p.runId = $runId, p.namespace = $namespace, p.jobNamespace = $jobNamespace,
              p.jobName = $jobName, p.state = 'UNKNOWN', p.events = 0, p.updated = $now
MERGE (p)-[:PARENT_OF]->(c)
