// Append a transaction's outbox rows (app/services/outbox.py), numbered after the last committed ones: the counter's
// lock is held until commit, so the numbers follow commit order. The last statement of its transaction.
// LadybugDB scans the rows as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
// :param count integer
MATCH (c:OutboxCounter {key: 'outbox'})
SET c.seq = c.seq + $count
WITH c.seq - $count AS base
LOAD FROM $rows
CREATE (:OutboxEvent {seq: base + offset + 1, tenantId: tenantId, kind: kind, created: created,
                      document: document, events: events})
