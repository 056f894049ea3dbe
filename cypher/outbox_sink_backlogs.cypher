// Each sink with the number of a tenant's events it has not delivered, the oldest one's time, and how many of the
// tenant's events it set aside.
// :param tenantId string
MATCH (s:OutboxSink)
OPTIONAL MATCH (o:OutboxEvent)
WHERE o.seq > s.seq AND o.tenantId = $tenantId
WITH s, sum(o.events) AS backlog, min(o.created) AS oldest
OPTIONAL MATCH (p:OutboxParked)
WHERE p.sink = s.key AND p.tenantId = $tenantId
RETURN s, backlog, oldest, count(p) AS parked
ORDER BY s.key
