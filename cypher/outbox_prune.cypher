// Delete the outbox rows every sink has delivered.
// :param upTo integer
MATCH (o:OutboxEvent)
WHERE o.seq <= $upTo
DELETE o
