// Set aside events a receiver refused, each once (`rows`: every property under its own name).
// :param rows list<map>
UNWIND $rows AS r
MERGE (p:OutboxParked {key: r.key})
ON CREATE SET p.sink = r.sink, p.seq = r.seq, p.tenantId = r.tenantId, p.runId = r.runId, p.reason = r.reason,
              p.document = r.document, p.parked = r.parked
