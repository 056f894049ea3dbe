// Store what each run's events say together (the document keeps the distinct events themselves); `rows` hold
// every property under its own name.
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
MATCH (run:LineageRun {key: key})
SET run.tenantId = tenantId, run.runId = runId, run.namespace = namespace, run.jobNamespace = jobNamespace,
    run.jobName = jobName, run.state = state, run.startTime = startTime, run.endTime = endTime,
    run.updated = updated, run.events = events, run.fingerprint = fingerprint, run.document = document
