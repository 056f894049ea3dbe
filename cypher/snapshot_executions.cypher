// Every execution of a tenant with all its properties (comparing two recordings of the same history, in tests).
// :param tenantId string
MATCH (e:Execution)
WHERE e.tenantId = $tenantId
RETURN e
