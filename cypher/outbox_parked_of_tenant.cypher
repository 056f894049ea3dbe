// A tenant's events a receiver refused, newest first.
// :param tenantId string
// :param limit integer
MATCH (p:OutboxParked)
WHERE p.tenantId = $tenantId
RETURN p
ORDER BY p.seq DESC
LIMIT $limit
