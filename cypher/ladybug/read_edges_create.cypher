// One READ edge per row: a task run of an execution read an asset (`rows` maps: executionKey, assetKey, and the
// edge's executionId, namespace, flowId, taskId, value, date and current). LadybugDB scans the rows as a table
// (`LOAD FROM`: the store hands it a list of maps as an Arrow table), a third of the time of an `UNWIND` over the
// same maps (docs/measurements.md: Passing a batch's rows).
// :param rows list<map>
// :scan rows 128
// :one-table
LOAD FROM $rows
MATCH (e:Execution {key: executionKey})
MATCH (a:Asset {key: assetKey})
CREATE (e)-[:{{new_read()}} {executionKey: executionKey, executionId: executionId, namespace: namespace,
                              flowId: flowId, taskId: taskId, value: value, date: date, current: current}]->(a)
