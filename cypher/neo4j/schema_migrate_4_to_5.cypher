// v4 -> v5: the outbox (app/services/outbox.py); its constraints are in schema.cypher, run at every start.
MERGE (c:OutboxCounter {key: 'outbox'}) ON CREATE SET c.seq = 0;
