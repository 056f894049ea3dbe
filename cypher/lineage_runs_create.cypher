// Create the runs a batch of events names for the first time (LadybugDB, one writer at a time; Neo4j's claim has
// created them: cypher/neo4j/lineage_runs_claim.cypher). The key is unique, so a run created concurrently
// elsewhere fails the batch, which is then merged run by run.
// :param rows list<map>
// :scan rows 128
UNWIND $rows AS r
CREATE (run:LineageRun {key: r.key, tenantId: r.tenantId, runId: r.runId, namespace: r.namespace,
                        jobNamespace: r.jobNamespace, jobName: r.jobName, state: r.state, startTime: r.startTime,
                        endTime: r.endTime, updated: r.updated, events: r.events, fingerprint: r.fingerprint,
                        document: r.document})
