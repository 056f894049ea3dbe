// A sink's backlog over every tenant: the events after its cursor and when the oldest of them was recorded (the
// server log says it while the sink cannot deliver).
// :param sink string
MATCH (s:OutboxSink {key: $sink})
OPTIONAL MATCH (o:OutboxEvent)
WHERE o.seq > s.seq
RETURN sum(o.events) AS backlog, min(o.created) AS oldest
