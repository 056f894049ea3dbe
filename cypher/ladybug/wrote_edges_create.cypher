// One WROTE edge per row: a task run of an execution wrote an asset (`rows` maps: executionKey, assetKey, and the
// edge's executionId, namespace, flowId, taskId, value, date and current), the rows scanned as a table
// (read_edges_create.cypher says why).
// :param rows list<map>
// :scan rows 128
// :one-table
LOAD FROM $rows
MATCH (e:Execution {key: executionKey})
MATCH (a:Asset {key: assetKey})
CREATE (e)-[:{{new_wrote()}} {executionKey: executionKey, executionId: executionId, namespace: namespace,
                               flowId: flowId, taskId: taskId, value: value, date: date, current: current}]->(a)
