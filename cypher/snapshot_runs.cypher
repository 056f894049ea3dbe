// Every OpenLineage run of a tenant with the run id of its parent (tests compare two tenants' graphs).
// :param tenantId string
MATCH (r:LineageRun)
WHERE r.tenantId = $tenantId
OPTIONAL MATCH (p:LineageRun)-[:PARENT_OF]->(r)
RETURN r, p.runId AS parent
