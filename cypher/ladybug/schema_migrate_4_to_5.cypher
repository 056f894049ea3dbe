// v4 -> v5: the outbox (app/services/outbox.py): OpenLineage events written with what they describe, for sinks.
CREATE NODE TABLE IF NOT EXISTS OutboxEvent(
    seq INT64 PRIMARY KEY, tenantId STRING, kind STRING, created STRING, document STRING, events INT64
);
CREATE NODE TABLE IF NOT EXISTS OutboxCounter(key STRING PRIMARY KEY, seq INT64);
CREATE NODE TABLE IF NOT EXISTS OutboxSink(
    key STRING PRIMARY KEY, seq INT64, holder STRING, leaseUntil STRING, delivered INT64, lastError STRING,
    lastErrorAt STRING, updated STRING
);
CREATE NODE TABLE IF NOT EXISTS OutboxParked(
    key STRING PRIMARY KEY, sink STRING, seq INT64, tenantId STRING, runId STRING, reason STRING, document STRING,
    parked STRING
);
MERGE (c:OutboxCounter {key: 'outbox'}) ON CREATE SET c.seq = 0;
