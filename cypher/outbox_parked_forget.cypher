// The events set aside for a sink that is forgotten: they go with it. Returns how many there were.
// :param sink string
MATCH (p:OutboxParked)
WHERE p.sink = $sink
DELETE p
RETURN count(*) AS forgotten
