// Take or renew a sink's lease: granted to the holder that has it, or to anyone once it has run out. Returns the
// sink's cursor when granted, nothing otherwise. A new sink starts before the oldest row still kept.
// :param sink string
// :param holder string
// :param now string
// :param until string
MERGE (s:OutboxSink {key: $sink})
ON CREATE SET s.seq = 0, s.holder = '', s.leaseUntil = '', s.delivered = 0, s.lastError = '', s.lastErrorAt = '',
              s.updated = $now
WITH s
WHERE s.holder = $holder OR s.leaseUntil < $now
SET s.holder = $holder, s.leaseUntil = $until
RETURN s.seq AS seq
