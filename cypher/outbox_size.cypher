// What the outbox holds: its rows and the events in them.
MATCH (o:OutboxEvent)
RETURN count(o) AS rows, sum(o.events) AS events
