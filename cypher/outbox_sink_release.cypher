// A process that stops hands its sink back: the lease runs out now, so another process (or this one restarted
// elsewhere) takes it at once instead of waiting for it to expire.
// :param sink string
// :param holder string
MATCH (s:OutboxSink {key: $sink})
WHERE s.holder = $holder
SET s.leaseUntil = ''
