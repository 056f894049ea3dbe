// One OpenLineage run by its natural key (tenant/runId), with its parent run when it names one.
// :param key string
MATCH (r:LineageRun {key: $key})
OPTIONAL MATCH (p:LineageRun)-[:PARENT_OF]->(r)
RETURN r, p.runId AS parentRunId, p.jobNamespace AS parentJobNamespace, p.jobName AS parentJobName
