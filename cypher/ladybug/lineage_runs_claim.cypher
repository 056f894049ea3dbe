// The stored runs a batch of OpenLineage events merges into (`rows`: maps of `key`, `tenantId`, `runId`, `now`).
// LadybugDB has one writer at a time, so what is read here cannot change before the batch commits; a run not
// stored yet is created by lineage_runs_create.cypher. (Neo4j takes locks and creates the missing ones here:
// cypher/neo4j/lineage_runs_claim.cypher.)
// :param rows list<map>
UNWIND $rows AS r
MATCH (run:LineageRun {key: r.key})
RETURN run
