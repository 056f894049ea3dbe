// Take (or create) the run an OpenLineage event belongs to, holding its write lock for the rest of the
// transaction so that two events of one run arriving together merge one after the other. `fresh` is true
// when the run was just created (a parent named by a child before its own events is not fresh: its document
// is empty).
// :param key string
// :param tenantId string
// :param runId string
// :param now string
MERGE (r:LineageRun {key: $key})
ON CREATE SET r.tenantId = $tenantId, r.runId = $runId, r.events = 0, r.updated = $now
SET r.events = r.events
RETURN r
