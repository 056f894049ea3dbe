// The parent runs a batch's runs name (`parent` facet), each once: created as a placeholder (no events yet) when
// their own events have not arrived, left as they are otherwise.
// :param rows list<map>
UNWIND $rows AS r
MERGE (p:LineageRun {key: r.key})
ON CREATE SET p.tenantId = r.tenantId, p.runId = r.runId, p.namespace = r.namespace, p.jobNamespace = r.jobNamespace,
              p.jobName = r.jobName, p.state = 'UNKNOWN', p.events = 0, p.updated = r.now
