// Every asset of a tenant with all its properties (comparing two recordings of the same history, in tests).
// :param tenantId string
MATCH (a:Asset)
WHERE a.tenantId = $tenantId
RETURN a
