// A sink delivered up to `seq`: move its cursor, if the holder still holds its lease.
// :param sink string
// :param holder string
// :param seq integer
// :param delivered integer
// :param now string
MATCH (s:OutboxSink {key: $sink})
WHERE s.holder = $holder
SET s.seq = $seq, s.delivered = s.delivered + $delivered, s.lastError = '', s.updated = $now
RETURN s.seq AS seq
