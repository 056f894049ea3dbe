// Each sink with the number of events it has not delivered, the oldest one's time, and how many events it set
// aside: a tenant's (its admins ask), or every tenant's when `tenantId` is null (the operator's command).
// :param tenantId string?
MATCH (s:OutboxSink)
OPTIONAL MATCH (o:OutboxEvent)
WHERE o.seq > s.seq AND ($tenantId IS NULL OR o.tenantId = $tenantId)
WITH s, sum(o.events) AS backlog, min(o.created) AS oldest
OPTIONAL MATCH (p:OutboxParked)
WHERE p.sink = s.key AND ($tenantId IS NULL OR p.tenantId = $tenantId)
RETURN s, backlog, oldest, count(p) AS parked
ORDER BY s.key
