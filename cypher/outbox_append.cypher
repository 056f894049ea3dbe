// Append a transaction's outbox rows (app/services/outbox.py), numbered after the last committed ones: the counter's
// lock is held until commit, so the numbers follow commit order. The last statement of its transaction.
// :param rows list<map>
// :scan rows 128
// :param count integer
MATCH (c:OutboxCounter {key: 'outbox'})
SET c.seq = c.seq + $count
WITH c.seq - $count AS base
UNWIND $rows AS r
CREATE (:OutboxEvent {seq: base + r.offset + 1, tenantId: r.tenantId, kind: r.kind, created: r.created,
                      document: r.document, events: r.events})
