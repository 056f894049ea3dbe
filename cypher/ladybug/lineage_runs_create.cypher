// Create the runs a batch of events names for the first time (LadybugDB, one writer at a time; Neo4j's claim has
// created them: cypher/neo4j/lineage_runs_claim.cypher). The key is unique, so a run created concurrently
// elsewhere fails the batch, which is then merged run by run.
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
LOAD FROM $rows
CREATE (run:LineageRun {key: key, tenantId: tenantId, runId: runId, namespace: namespace,
                        jobNamespace: jobNamespace, jobName: jobName, state: state, startTime: startTime,
                        endTime: endTime, updated: updated, events: events, fingerprint: fingerprint,
                        document: document})
