// Store what each run's events say together (the document keeps the distinct events themselves); `rows` hold
// every property under its own name.
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
MATCH (run:LineageRun {key: r.key})
SET run.tenantId = r.tenantId, run.runId = r.runId, run.namespace = r.namespace, run.jobNamespace = r.jobNamespace,
    run.jobName = r.jobName, run.state = r.state, run.startTime = r.startTime, run.endTime = r.endTime,
    run.updated = r.updated, run.events = r.events, run.fingerprint = r.fingerprint, run.document = r.document
