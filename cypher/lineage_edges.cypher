// Which lineage edges join these assets (one per task run and input/output pair), for drawing?
// :param keys list<string>
// :param after string?
// :param before string?
// :flag history
// :number limit 1..100000
MATCH (a:Asset)
WHERE a.key IN $keys
MATCH (a)-[f:{{feeds()}}]->(b:Asset)
WHERE b.key IN $keys AND ({{flag(history)}} OR f.current) AND ($after IS NULL OR f.date >= $after)
  AND ($before IS NULL OR f.date < $before)
RETURN a.key AS source, b.key AS target, f.executionId AS executionId, f.namespace AS namespace,
       f.flowId AS flowId, f.taskId AS taskId, f.value AS value, f.date AS date
ORDER BY date DESC, executionId, taskId, value
{{first()}}
