// The outbox rows after a sink's cursor, in order.
// :param after integer
// :param limit integer
MATCH (o:OutboxEvent)
WHERE o.seq > $after
RETURN o
ORDER BY o.seq
LIMIT $limit
