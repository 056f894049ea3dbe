// Take (or create) the runs a batch of OpenLineage events merges into (`rows`: maps of `key`, `tenantId`,
// `runId`, `now`, in key order so that two batches lock in the same order), holding their write locks for the
// rest of the transaction: two events of one run arriving together, in two requests or two API processes, merge
// one after the other. A run created here has no document until lineage_runs_update.cypher stores it.
// :param rows list<map>
UNWIND $rows AS r
MERGE (run:LineageRun {key: r.key})
ON CREATE SET run.tenantId = r.tenantId, run.runId = r.runId, run.events = 0, run.updated = r.now
SET run.events = run.events
RETURN run
