// Link each run to the parent it names (both exist: lineage_runs_parents_put.cypher ran first).
// :param rows list<map>
UNWIND $rows AS r
MATCH (c:LineageRun {key: r.childKey})
MATCH (p:LineageRun {key: r.parentKey})
MERGE (p)-[:PARENT_OF]->(c)
