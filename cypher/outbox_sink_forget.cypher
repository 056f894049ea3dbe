// Forget a sink that is no longer configured anywhere: its cursor goes, so the outbox is no longer kept for it.
// Returns how many sinks of that name there were (0 or 1).
// :param sink string
MATCH (s:OutboxSink {key: $sink})
DELETE s
RETURN count(*) AS forgotten
