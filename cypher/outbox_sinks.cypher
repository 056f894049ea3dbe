// Every sink with its cursor (the outbox is pruned up to the smallest).
MATCH (s:OutboxSink)
RETURN s
