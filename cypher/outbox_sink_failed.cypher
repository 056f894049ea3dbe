// A sink could not deliver: keep what failed and when (the cursor stays).
// :param sink string
// :param holder string
// :param error string
// :param now string
MATCH (s:OutboxSink {key: $sink})
WHERE s.holder = $holder
SET s.lastError = $error, s.lastErrorAt = $now
