// One FEEDS edge per row, from an asset a task run read to one it wrote (`rows` maps: sourceKey, targetKey, and the
// edge's executionKey, executionId, namespace, flowId, taskId, value, date and current, whether the run holds
// that output of its task slot), the rows scanned as a table (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
// :one-table
LOAD FROM $rows
MATCH (s:Asset {key: sourceKey})
MATCH (t:Asset {key: targetKey})
CREATE (s)-[:{{new_feeds()}} {executionKey: executionKey, executionId: executionId, namespace: namespace,
                               flowId: flowId, taskId: taskId, value: value, date: date, current: current}]->(t)
