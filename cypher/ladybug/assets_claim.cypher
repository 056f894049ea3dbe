// The stored assets a batch of executions writes (`rows`: maps of `key`, `tenantId`, `id`). LadybugDB has one
// writer at a time, so what is read here cannot change before the batch commits; a missing asset is created by
// assets_create.cypher. (Neo4j takes locks and creates the missing ones here: cypher/neo4j/assets_claim.cypher.)
// :param rows list<map>
UNWIND $rows AS r
MATCH (a:Asset {key: r.key})
RETURN a
