// Every (task slot, output) holder of a tenant (comparing two recordings of the same history, in tests).
// :param tenantId string
MATCH (s:TaskSlot)
WHERE s.tenantId = $tenantId
RETURN s
